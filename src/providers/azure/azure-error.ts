// Azure AI Foundry's failures → contract codes. Azure wraps OpenAI's shape with its own codes
// (`content_filter`, `DeploymentNotFound`, `"401"`); Claude on Foundry answers in Anthropic's shape.
import { mapAnthropicFailure } from '../anthropic/anthropic-error.ts';
import { mapOpenAIFailure } from '../openai/openai-error.ts';
import type { MappedFailure, UpstreamFailure } from '../upstream-failure.ts';
import { quoteProvider } from '../upstream-failure.ts';

const PROVIDER = 'Azure AI Foundry';

/** Maps one Azure failure; Azure's own gateway codes first, then the API style's provider rules. */
export function mapAzureFailure(failure: UpstreamFailure, apiKey: string, apiStyle: 'openai' | 'anthropic'): MappedFailure {
  const message = quoteProvider(PROVIDER, failure, apiKey);
  const { status, code } = failure;
  if (code === 'content_filter' || failure.type === 'content_filter') {
    return { code: 'content_filtered', message: `${PROVIDER}'s content filter blocked the request.` };
  }
  if (code === 'DeploymentNotFound' || (code === 'NotFound' && status === 404)) {
    return { code: 'model_not_found', message, hint: 'Check the deployment name: it must match a deployment of this resource in Azure AI Foundry, not the model name.' };
  }
  if (status === 401) {
    return { code: 'invalid_api_key', message, hint: "Copy Key 1 or Key 2 from the resource's Keys and Endpoint page, and check the endpoint is that resource's." };
  }
  if (status === 404 && !failure.shaped) {
    return { code: 'bad_endpoint', message, hint: 'The endpoint answered 404: use https://{resource}.openai.azure.com or https://{resource}.services.ai.azure.com, and check the API style.' };
  }
  if (apiStyle === 'anthropic') return mapAnthropicFailure(failure, apiKey, PROVIDER);
  return mapOpenAIFailure(failure, apiKey, PROVIDER);
}
