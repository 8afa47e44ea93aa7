// The fields an admin types to describe a connection, as zod schemas: the kind, the API key (parsed
// straight into a Secret so it never travels as a plain string), the base URL and the Azure settings.
// Reachability (the SSRF guard) is not checked here: it is part of testing the connection, so that a
// refused address answers as a failed test with the code `upstream_not_allowed` rather than a 400.
import { z } from 'zod';
import { Secret } from '../vault/secret.ts';
import { PROVIDER_KINDS, type AzureSettings, type ProviderKind } from '../providers/provider.ts';

export const kindSchema = z.enum(PROVIDER_KINDS as [ProviderKind, ...ProviderKind[]]);

export const apiKeySchema = z
  .string()
  .trim()
  .min(8, 'the API key is too short: paste the whole key')
  .max(512, 'the API key is longer than 512 characters')
  .regex(/^\S+$/, 'the API key must not contain spaces or line breaks')
  .transform((value) => new Secret(value));

/** Drops trailing slashes: the contract says a trailing slash is ignored. */
export function normaliseUrl(value: string): string {
  return value.replace(/\/+$/, '');
}

const urlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials, e.g. https://api.example.com/v1')
  .transform(normaliseUrl);

export const baseUrlSchema = urlSchema.nullable();

/** A model id or an Azure deployment name: no whitespace, printable, bounded. */
export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'name a model')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'model names have no spaces');

export const azureSchema = z.strictObject({
  endpoint: urlSchema,
  apiStyle: z.enum(['openai', 'anthropic']),
  apiVersion: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'apiVersion looks like 2024-10-21 (or null for the v1 path)')
    .nullable()
    .default(null),
  modelOf: z
    .record(modelNameSchema, modelNameSchema)
    .refine((m) => Object.keys(m).length <= 100, 'at most 100 deployments')
    .default({}),
}) satisfies z.ZodType<AzureSettings, unknown>;

// Names are one line of text: no CR/LF, NUL, escape sequences or other control characters, which would
// forge lines in logs and exports or smuggle header breaks (test/security/attacker-extras.test.ts).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const singleLine = (schema: z.ZodString) => schema.refine((v) => !CONTROL_CHARACTERS.test(v), 'must be one line without control characters');

export const labelSchema = singleLine(z.string().trim().min(1).max(100));
export const keyNameSchema = singleLine(z.string().trim().max(100)).nullable();

/** The cross-field rule: Azure needs its `azure` object (and no baseUrl); the others must not have one. */
export function checkKindFields(
  value: { kind: ProviderKind; azure?: AzureSettings | null; baseUrl?: string | null },
  ctx: z.RefinementCtx,
): void {
  if (value.kind === 'azure') {
    if (!value.azure) ctx.addIssue({ code: 'custom', path: ['azure'], message: 'Azure connections need azure: {endpoint, apiStyle, apiVersion, modelOf}' });
    if (value.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'Azure connections use azure.endpoint, not baseUrl' });
  } else if (value.azure) {
    ctx.addIssue({ code: 'custom', path: ['azure'], message: `azure is only for kind "azure", not "${value.kind}"` });
  }
}
