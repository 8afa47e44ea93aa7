// An Azure AI Foundry endpoint as the admin pasted it → the resource's root URL.
import { ProviderError } from '../provider-error.ts';

// Suffixes people paste from the portal or from code samples; the API paths are ours to add.
const API_SUFFIX = /\/(openai\/v1|openai|anthropic\/v1|anthropic|models)\/?$/i;

/** `https://{resource}.openai.azure.com/openai/v1/` → `https://{resource}.openai.azure.com`. */
export function normalizeAzureEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ProviderError({ code: 'bad_endpoint', message: 'The Azure endpoint is not a valid URL.' });
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '').replace(API_SUFFIX, '').replace(/\/+$/, '');
}
