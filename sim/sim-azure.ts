// The simulated Azure AI Foundry resource: the `api-key` header, deployments as models, the classic
// deployments path, the v1 path, the Foundry models path, and Claude at /anthropic/v1/messages.
import type { SimAzureDeployment } from './sim-types.ts';
import { AZURE_DEPLOYMENTS } from './sim-catalog.ts';
import type { SimExchange } from './sim-http.ts';
import { header, sendJson } from './sim-http.ts';
import type { SimState } from './sim-respond.ts';
import { presentedKey } from './sim-respond.ts';
import { serveAnthropicMessages } from './sim-anthropic.ts';
import { azureHeaders, serveChatCompletions } from './sim-openai.ts';

const CLASSIC_CHAT = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

function deploymentRunner(style: SimAzureDeployment['apiStyle']): (name: string) => string | null {
  return (name) => AZURE_DEPLOYMENTS.find((d) => d.name === name && d.apiStyle === style)?.model ?? null;
}

function sendAzureError(ex: SimExchange, status: number, code: string, message: string): void {
  sendJson(ex, status, { error: { code, message } }, azureHeaders());
}

export async function serveAzure(ex: SimExchange, state: SimState): Promise<void> {
  const path = ex.url.pathname;
  const method = ex.req.method ?? 'GET';
  // Azure's gateway checks the key before routing, on every path, with its own 401 body.
  // Claude on Foundry also takes the key the way Anthropic clients send it (x-api-key or a bearer token).
  const key = path.startsWith('/anthropic/') ? (header(ex, 'api-key') ?? header(ex, 'x-api-key') ?? presentedKey(ex, 'authorization')) : header(ex, 'api-key');
  const access = state.keyring.check('azure', key);
  const unauthorized = () =>
    sendAzureError(
      ex,
      401,
      '401',
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    );
  if (access === null) return unauthorized();
  const chat = (pathDeployment: string | null) =>
    serveChatCompletions(ex, state, { flavour: 'azure', provider: 'azure', keyFault: access.fault, pathDeployment, resolveModel: deploymentRunner('openai'), unauthorized });
  const needsApiVersion = () => {
    if (ex.url.searchParams.get('api-version')) return false;
    sendAzureError(ex, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    return true;
  };

  const classic = CLASSIC_CHAT.exec(path);
  if (classic && method === 'POST') return needsApiVersion() ? undefined : chat(decodeURIComponent(classic[1] as string));
  if (path === '/openai/v1/chat/completions' && method === 'POST') return chat(null);
  if (path === '/models/chat/completions' && method === 'POST') return needsApiVersion() ? undefined : chat(null);
  if (path === '/openai/v1/models' && method === 'GET') return serveAzureModels(ex);
  if (path === '/anthropic/v1/messages' && method === 'POST') {
    return serveAnthropicMessages(ex, state, { keyFault: access.fault, provider: 'azure', resolveModel: deploymentRunner('anthropic'), unauthorized });
  }
  sendAzureError(ex, 404, '404', 'Resource not found');
}

// Azure's data-plane list shows the models the resource can deploy, not its deployments (which is why
// Mosaic asks the admin to type deployment names).
function serveAzureModels(ex: SimExchange): void {
  const models = [...new Set(AZURE_DEPLOYMENTS.filter((d) => d.apiStyle === 'openai').map((d) => d.model))];
  sendJson(
    ex,
    200,
    {
      data: models.map((id) => ({
        id,
        object: 'model',
        created: 1715367049,
        owned_by: 'system',
        status: 'succeeded',
        lifecycle_status: 'generally-available',
        capabilities: { chat_completion: true, completion: false, embeddings: false, fine_tune: false, inference: true },
      })),
      object: 'list',
    },
    azureHeaders(),
  );
}
