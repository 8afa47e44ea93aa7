// The simulated OpenAI API: POST /v1/chat/completions and GET /v1/models[/{id}]. The chat handler also
// serves Azure's OpenAI-style paths, in Azure's flavour.
import { OPENAI_MODELS, OPENAI_REASONING_MODELS, REASONING_EMPTY_BELOW, REASONING_TOKENS, splitModelFault } from './sim-catalog.ts';
import { parseScriptDirectives } from './sim-directives.ts';
import type { SimFaultPlan, SimStatusFault } from './sim-faults.ts';
import { retryAfterHeaders } from './sim-faults.ts';
import type { SimExchange } from './sim-http.ts';
import { hangUntilClosed, sendJson, unixSeconds } from './sim-http.ts';
import { azureRequestId, openaiCompletionId, openaiRequestId, openaiToolCallId } from './sim-ids.ts';
import type { SimState } from './sim-respond.ts';
import { deliverAnswer, failsOnce, gatherFaults, presentedKey, slowFirstByte, wantsStream } from './sim-respond.ts';
import type { SimTurn } from './sim-script.ts';
import { countTokens, planTurn } from './sim-script.ts';
import type { OpenAIAnswer, OpenAIFlavour } from './sim-openai-wire.ts';
import { openaiCompletion, openaiConversation, openaiErrorBody, openaiStreamError, openaiStreamEvents } from './sim-openai-wire.ts';

export function openaiHeaders(): Record<string, string> {
  return {
    'x-request-id': openaiRequestId(),
    'openai-processing-ms': '42',
    'openai-version': '2020-10-01',
    'openai-organization': 'user-mosaic-sim',
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-limit-tokens': '30000000',
    'x-ratelimit-remaining-tokens': '29999000',
    'x-ratelimit-reset-tokens': '2ms',
  };
}

export function azureHeaders(): Record<string, string> {
  const id = azureRequestId();
  return {
    'apim-request-id': id,
    'x-request-id': id,
    'x-ms-region': 'Sweden Central',
    'x-ratelimit-remaining-requests': '999',
    'x-ratelimit-limit-requests': '1000',
    'x-ratelimit-remaining-tokens': '999000',
    'x-ratelimit-limit-tokens': '1000000',
  };
}

// Recorded bodies (fixtures openai/error-*.json).
const UNSUPPORTED_MAX_TOKENS = openaiErrorBody(
  "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
  'invalid_request_error',
  'max_tokens',
  'unsupported_parameter',
);
const INSUFFICIENT_QUOTA = openaiErrorBody(
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
  'insufficient_quota',
  null,
  'insufficient_quota',
);

function sendOpenAIError(ex: SimExchange, status: number, body: unknown, extra: Record<string, string> = {}): void {
  sendJson(ex, status, body, { ...openaiHeaders(), ...extra });
}

/** How OpenAI shows a wrong key back in its message: prefix, stars, last four. */
export function maskKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 3)}****`;
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

/** The OpenAI server's router: authentication, then the endpoints. */
export async function serveOpenAI(ex: SimExchange, state: SimState): Promise<void> {
  const path = ex.url.pathname;
  const method = ex.req.method ?? 'GET';
  const route = path === '/v1/chat/completions' && method === 'POST' ? 'chat' : (path === '/v1/models' || path.startsWith('/v1/models/')) && method === 'GET' ? 'models' : null;
  const key = presentedKey(ex, 'authorization');
  if (key === undefined || key === '') {
    return sendOpenAIError(
      ex,
      401,
      openaiErrorBody(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
        'invalid_request_error',
        null,
        null,
      ),
    );
  }
  const access = state.keyring.check('openai', key);
  const unauthorized = () =>
    sendOpenAIError(
      ex,
      401,
      openaiErrorBody(`Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key'),
    );
  if (access === null) return unauthorized();
  if (route === null) return sendOpenAIError(ex, 404, openaiErrorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error', null, null));
  if (route === 'models') return serveOpenAIModels(ex);
  return serveChatCompletions(ex, state, {
    flavour: 'openai',
    provider: 'openai',
    keyFault: access.fault,
    pathDeployment: null,
    resolveModel: (name) => (OPENAI_MODELS.some((m) => m.id === name) ? name : null),
    unauthorized,
  });
}

function serveOpenAIModels(ex: SimExchange): void {
  const present = (m: (typeof OPENAI_MODELS)[number]) => ({ id: m.id, object: 'model', created: m.created, owned_by: m.owned_by });
  if (ex.url.pathname === '/v1/models') return sendOpenAIError(ex, 200, { object: 'list', data: OPENAI_MODELS.map(present) });
  const id = decodeURIComponent(ex.url.pathname.slice('/v1/models/'.length));
  const model = OPENAI_MODELS.find((m) => m.id === id);
  if (!model) return sendOpenAIError(ex, 404, openaiErrorBody(`The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found'));
  sendOpenAIError(ex, 200, present(model));
}

export interface ChatCompletionsOptions {
  flavour: OpenAIFlavour;
  provider: 'openai' | 'azure';
  keyFault: string | null;
  /** The deployment named by the path (Azure's classic path), else the body's `model` is used. */
  pathDeployment: string | null;
  /** The model a name (model id or deployment) runs, null when unknown. */
  resolveModel: (name: string) => string | null;
  unauthorized: () => void;
}

/** POST …/chat/completions once the caller is authenticated. */
export async function serveChatCompletions(ex: SimExchange, state: SimState, opts: ChatCompletionsOptions): Promise<void> {
  const azure = opts.flavour === 'azure';
  const headers = azure ? azureHeaders : openaiHeaders;
  const fail = (status: number, body: unknown, extra: Record<string, string> = {}) => sendJson(ex, status, body, { ...headers(), ...extra });
  if (ex.bodyInvalid || typeof ex.body !== 'object' || ex.body === null || Array.isArray(ex.body)) {
    return fail(400, openaiErrorBody("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", 'invalid_request_error', null, null));
  }
  const body = ex.body as Record<string, unknown>;
  const requested = opts.pathDeployment ?? body.model;
  if (typeof requested !== 'string' || requested === '') return fail(400, openaiErrorBody('you must provide a model parameter', 'invalid_request_error', null, null));
  if (!Array.isArray(body.messages)) return fail(400, openaiErrorBody("Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter'));
  if (body.messages.length === 0) {
    return fail(400, openaiErrorBody("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'invalid_request_error', 'messages', 'empty_array'));
  }
  const { model: baseName, fault: modelFault } = splitModelFault(requested);
  const model = opts.resolveModel(baseName);
  const notFound = () =>
    azure
      ? fail(404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } })
      : fail(404, openaiErrorBody(`The model \`${requested}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found'));
  if (model === null) return notFound();
  const reasoning = OPENAI_REASONING_MODELS.has(model);
  if (reasoning && body.max_tokens !== undefined && body.max_tokens !== null) return fail(400, UNSUPPORTED_MAX_TOKENS);
  const maxTokens = [body.max_completion_tokens, body.max_tokens].find((v): v is number => typeof v === 'number') ?? null;

  const { conversation, directives } = openaiConversation(body);
  const faults = gatherFaults(ex, { directives, keyFault: opts.keyFault, modelFault });
  if (!faults.ok) return fail(400, openaiErrorBody(faults.message, 'invalid_request_error', null, null));
  const script = parseScriptDirectives(directives);
  if (!script.ok) return fail(400, openaiErrorBody(script.message, 'invalid_request_error', null, null));
  const plan = faults.plan;
  if (!(await slowFirstByte(ex, plan))) return;

  const status: SimStatusFault | null = plan.status === '429-once' ? (failsOnce(state, opts.provider, plan, conversation.question) ? '429' : null) : plan.status;
  if (status === 'hang') return hangUntilClosed(ex);
  if (status === '401') return opts.unauthorized();
  if (status === '404-model') return notFound();
  if (status !== null && !(status === 'content-filter' && !azure)) {
    const fault = faultResponse(status, opts.flavour, model, plan);
    return fail(fault.status, fault.body, fault.headers);
  }

  // A reasoning model thinks first; under a tiny budget it runs out before saying anything.
  let turn: SimTurn;
  let reasoningTokens = 0;
  if (reasoning && maxTokens !== null && maxTokens < REASONING_EMPTY_BELOW) {
    turn = { kind: 'text', chunks: [], truncated: true };
    reasoningTokens = maxTokens;
  } else {
    reasoningTokens = reasoning ? REASONING_TOKENS : 0;
    turn = planTurn(conversation, script.value, maxTokens === null ? null : maxTokens - reasoningTokens);
  }
  const filtered = plan.midStream === 'content-filter-output' && turn.kind === 'text';
  // Filtered output keeps what came before the filter caught it.
  if (filtered && turn.kind === 'text') turn = { ...turn, chunks: turn.chunks.slice(0, Math.max(1, Math.floor(turn.chunks.length / 2))) };
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  const answer: OpenAIAnswer = {
    flavour: opts.flavour,
    id: openaiCompletionId(),
    created: unixSeconds(ex),
    model: azure ? model : requested,
    turn,
    toolCallId: openaiToolCallId(),
    promptTokens: countTokens(body.messages, body.tools),
    reasoningTokens,
    includeUsage: streamOptions?.include_usage === true,
    filtered,
  };
  const internal = faultResponse('500', opts.flavour, model, plan);
  await deliverAnswer(ex, plan, {
    stream: wantsStream(body),
    headers: headers(),
    events: () => openaiStreamEvents(answer),
    body: () => openaiCompletion(answer),
    outputs: turn.kind === 'text' ? turn.chunks.length : turn.outputTokens,
    streamError: openaiStreamError(),
    nonStreamError: () => fail(internal.status, internal.body),
  });
}

type FaultAnswer = { status: number; body: unknown; headers: Record<string, string> };

function faultResponse(fault: Exclude<SimStatusFault, 'hang' | '401' | '404-model' | '429-once'>, flavour: OpenAIFlavour, model: string, plan: SimFaultPlan): FaultAnswer {
  const azure = flavour === 'azure';
  const seconds = Math.max(1, Math.ceil(plan.retryAfterMs / 1000));
  switch (fault) {
    case '403':
      return azure
        ? { status: 403, body: { error: { code: 'PermissionDenied', message: 'The principal does not have permission to perform this operation on this resource.' } }, headers: {} }
        : { status: 403, body: openaiErrorBody('You are not allowed to sample from this model', 'invalid_request_error', null, null), headers: {} };
    case '429':
      return azure
        ? {
            status: 429,
            body: {
              error: {
                code: '429',
                message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}. Please contact Azure support service if you would like to further increase the default rate limit.`,
              },
            },
            headers: retryAfterHeaders(plan),
          }
        : {
            status: 429,
            body: openaiErrorBody(
              `Rate limit reached for ${model} in organization org-mosaicsim on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${plan.retryAfterMs}ms. Visit https://platform.openai.com/account/rate-limits to learn more.`,
              'requests',
              null,
              'rate_limit_exceeded',
            ),
            headers: { ...retryAfterHeaders(plan), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': `${plan.retryAfterMs}ms` },
          };
    case 'quota':
      return { status: 429, body: INSUFFICIENT_QUOTA, headers: {} };
    case '500':
      return { status: 500, body: openaiErrorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null, null), headers: {} };
    case '529':
      return { status: 503, body: openaiErrorBody('The server is overloaded or not ready yet.', 'server_error', null, null), headers: {} };
    case 'content-filter':
      return {
        status: 400,
        body: {
          error: {
            message:
              "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
            type: null,
            param: 'prompt',
            code: 'content_filter',
            status: 400,
            innererror: {
              code: 'ResponsibleAIPolicyViolation',
              content_filter_result: { hate: { filtered: false, severity: 'safe' }, jailbreak: { filtered: false, detected: false }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: true, severity: 'medium' } },
            },
          },
        },
        headers: {},
      };
  }
}
