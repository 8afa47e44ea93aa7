// Request bodies of the AI Configuration endpoints (contract.md, "AI Configuration"). Field schemas live
// with the domain in ai-config/connection-input.ts; these compose them per endpoint. Unknown fields are
// refused so that a typo ("apikey") is a clear 400, not a silently ignored field.
import { z } from 'zod';
import {
  apiKeySchema,
  azureSchema,
  baseUrlSchema,
  checkKindFields,
  keyNameSchema,
  kindSchema,
  labelSchema,
  modelNameSchema,
} from '../../../ai-config/connection-input.ts';

const draftFields = {
  kind: kindSchema,
  apiKey: apiKeySchema,
  baseUrl: baseUrlSchema.optional(),
  azure: azureSchema.nullable().optional(),
};

const savedConnection = z.strictObject({ providerId: z.string().max(100) });

export const testDraftSchema = z.strictObject({ ...draftFields, model: modelNameSchema }).superRefine(checkKindFields);
export const testSavedSchema = savedConnection.extend({ model: modelNameSchema.optional() });
export const modelsDraftSchema = z.strictObject(draftFields).superRefine(checkKindFields);
export const modelsSavedSchema = savedConnection;

/** `{providerId, …}` names a saved connection; anything else describes one being typed. */
export const namesSavedConnection = (body: unknown): boolean => typeof body === 'object' && body !== null && 'providerId' in body;

export const addProviderSchema = z
  .strictObject({
    ...draftFields,
    label: labelSchema.optional(),
    keyName: keyNameSchema.optional(),
    models: z.strictObject({ orchestrator: modelNameSchema, fast: modelNameSchema.optional() }),
    activate: z.boolean().optional(),
  })
  .superRefine(checkKindFields);

export const updateProviderSchema = z.strictObject({
  label: labelSchema.optional(),
  models: z.strictObject({ orchestrator: modelNameSchema.optional(), fast: modelNameSchema.optional() }).optional(),
  baseUrl: baseUrlSchema.optional(),
  azure: azureSchema.optional(),
});

export const rotateKeySchema = z.strictObject({ apiKey: apiKeySchema, keyName: keyNameSchema.optional() });

export const deleteProviderQuerySchema = z.strictObject({
  moveSessionsTo: z.uuid('moveSessionsTo must be a provider id').optional(),
});
