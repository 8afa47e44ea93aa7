// Checks on a key's shape, before any network call: an admin key or a key made for the other provider is
// refused with a clear code. Unknown shapes pass, since proxies and gateways issue their own keys.
import { ProviderError } from './provider-error.ts';
import type { ProviderKind } from './provider.ts';

const ANTHROPIC_ADMIN = /^sk-ant-admin\d*-/;
const OPENAI_ADMIN = /^sk-admin-/;
const ANTHROPIC_SHAPED = /^sk-ant-/;
const OPENAI_SHAPED = /^sk-(proj|svcacct)-/;
const PROVIDER_NAMES: Record<ProviderKind, string> = { anthropic: 'Anthropic', openai: 'OpenAI', azure: 'Azure AI Foundry' };

/** The refusal for a key that cannot work with `kind`, or null when the key may be tried. */
export function checkKeyFormat(kind: ProviderKind, apiKey: string): ProviderError | null {
  const key = apiKey.trim();
  if (key === '') {
    return new ProviderError({ code: 'invalid_api_key', message: 'The API key is empty.', hint: 'Paste the API key from the provider\'s console.' });
  }
  if (ANTHROPIC_ADMIN.test(key)) {
    return new ProviderError({
      code: 'admin_key_rejected',
      message: 'This is an Anthropic Admin API key, which manages the organisation and cannot run models.',
      hint: 'Create an inference-only API key (sk-ant-api03-…) in the Anthropic Console under API keys, and use that instead.',
    });
  }
  if (OPENAI_ADMIN.test(key)) {
    return new ProviderError({
      code: 'admin_key_rejected',
      message: 'This is an OpenAI Admin key, which manages the organisation and cannot run models.',
      hint: 'Create a project API key (sk-proj-…) in the OpenAI dashboard under API keys, and use that instead.',
    });
  }
  const shapedFor = ANTHROPIC_SHAPED.test(key) ? 'anthropic' : OPENAI_SHAPED.test(key) ? 'openai' : null;
  if (shapedFor !== null && shapedFor !== kind) {
    // Azure keys are 32 hex digits or the newer 84-character form: never sk-… (be lenient otherwise).
    return mismatch(shapedFor === 'anthropic' ? 'an Anthropic key' : 'an OpenAI key', PROVIDER_NAMES[kind]);
  }
  return null;
}

function mismatch(what: string, selected: string): ProviderError {
  return new ProviderError({
    code: 'key_format_mismatch',
    message: `This looks like ${what}, but the connection is for ${selected}.`,
    hint: `Choose the provider this key belongs to, or paste ${/^[AEIOU]/.test(selected) ? 'an' : 'a'} ${selected} key.`,
  });
}
