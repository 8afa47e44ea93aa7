// The simulated Anthropic API: POST /v1/messages and GET /v1/models[/{id}], also serving Claude on
// Azure AI Foundry (/anthropic/v1/messages, where Azure answers authentication itself).
import { randomUUID } from 'node:crypto';
import { ANTHROPIC_MODELS, splitModelFault } from './sim-catalog.ts';
import { parseScriptDirectives } from './sim-directives.ts';
import type { SimFaultPlan, SimStatusFault } from './sim-faults.ts';
import { retryAfterHeaders } from './sim-faults.ts';
import type { SimExchange } from './sim-http.ts';
import { hangUntilClosed, header, sendJson } from './sim-http.ts';
import { anthropicRequestId, anthropicMessageId, anthropicToolUseId } from './sim-ids.ts';
import type { SimState } from './sim-respond.ts';
import { deliverAnswer, failsOnce, gatherFaults, presentedKey, slowFirstByte, wantsStream } from './sim-respond.ts';
import { countTokens, planTurn } from './sim-script.ts';
import { anthropicConversation, anthropicErrorBody, anthropicMessage, anthropicOutputTokens, anthropicStreamError, anthropicStreamEvents } from './sim-anthropic-wire.ts';

const ORGANIZATION_ID = randomUUID();

function baseHeaders(requestId: string): Record<string, string> {
  return {
    'request-id': requestId,
    'anthropic-organization-id': ORGANIZATION_ID,
    'anthropic-ratelimit-requests-limit': '4000',
    'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

function sendError(ex: SimExchange, status: number, type: string, message: string, extra: Record<string, string> = {}): void {
  const requestId = anthropicRequestId();
  sendJson(ex, status, anthropicErrorBody(type, message, requestId), { ...baseHeaders(requestId), 'x-should-retry': String(status === 429 || status >= 500), ...extra });
}

/** The Anthropic server's router: authentication, then the endpoints. */
export async function serveAnthropic(ex: SimExchange, state: SimState): Promise<void> {
  const path = ex.url.pathname;
  const route = path === '/v1/messages' ? 'messages' : path === '/v1/models' || path.startsWith('/v1/models/') ? 'models' : null;
  if (route === null) return sendError(ex, 404, 'not_found_error', 'Not Found');
  // Anthropic takes the key as x-api-key, or as a bearer token (what the official SDK sends since 1.x).
  const key = presentedKey(ex, 'x-api-key') ?? presentedKey(ex, 'authorization');
  if (key === undefined) return sendError(ex, 401, 'authentication_error', 'x-api-key header is required');
  const access = state.keyring.check('anthropic', key);
  if (access === null) return sendError(ex, 401, 'authentication_error', 'invalid x-api-key');
  if (header(ex, 'anthropic-version') === undefined) return sendError(ex, 400, 'invalid_request_error', 'anthropic-version: header is required');
  if (route === 'models') {
    if (ex.req.method !== 'GET') return sendError(ex, 405, 'invalid_request_error', `Method ${ex.req.method} not allowed`);
    return serveAnthropicModels(ex);
  }
  if (ex.req.method !== 'POST') return sendError(ex, 405, 'invalid_request_error', `Method ${ex.req.method} not allowed`);
  return serveAnthropicMessages(ex, state, {
    keyFault: access.fault,
    provider: 'anthropic',
    resolveModel: (model) => (ANTHROPIC_MODELS.some((m) => m.id === model) ? model : null),
    unauthorized: () => sendError(ex, 401, 'authentication_error', 'invalid x-api-key'),
  });
}

export interface AnthropicMessagesOptions {
  keyFault: string | null;
  provider: 'anthropic' | 'azure';
  /** The model (Anthropic) or deployment (Azure) this name runs, null when unknown. */
  resolveModel: (name: string) => string | null;
  /** The 401 of whoever authenticates (Anthropic, or Azure's gateway). */
  unauthorized: () => void;
}

/** POST /v1/messages once the caller is authenticated. */
export async function serveAnthropicMessages(ex: SimExchange, state: SimState, opts: AnthropicMessagesOptions): Promise<void> {
  if (ex.bodyInvalid || typeof ex.body !== 'object' || ex.body === null || Array.isArray(ex.body)) {
    return sendError(ex, 400, 'invalid_request_error', 'There was an error parsing the body of your request: expected a JSON object');
  }
  const body = ex.body as Record<string, unknown>;
  const invalid = validateMessagesBody(body);
  if (invalid !== null) return sendError(ex, 400, 'invalid_request_error', invalid);
  const requested = body.model as string;
  const { model: baseName, fault: modelFault } = splitModelFault(requested);
  const notFound = () => sendError(ex, 404, 'not_found_error', `model: ${requested}`);
  if (opts.resolveModel(baseName) === null) return notFound();

  const { conversation, directives } = anthropicConversation(body);
  const faults = gatherFaults(ex, { directives, keyFault: opts.keyFault, modelFault });
  if (!faults.ok) return sendError(ex, 400, 'invalid_request_error', faults.message);
  const script = parseScriptDirectives(directives);
  if (!script.ok) return sendError(ex, 400, 'invalid_request_error', script.message);
  const plan = faults.plan;
  if (!(await slowFirstByte(ex, plan))) return;

  const status: SimStatusFault | null = plan.status === '429-once' ? (failsOnce(state, opts.provider, plan, conversation.question) ? '429' : null) : plan.status;
  switch (status) {
    case null:
    case 'content-filter': // an Azure OpenAI fault: Claude has no prompt filter answer to give
      break;
    case 'hang':
      return hangUntilClosed(ex);
    case '401':
      return opts.unauthorized();
    case '404-model':
      return notFound();
    default:
      return sendStatusFault(ex, status, plan);
  }

  const turn = planTurn(conversation, script.value, body.max_tokens as number);
  const requestId = anthropicRequestId();
  const answer = {
    id: anthropicMessageId(),
    model: requested,
    turn,
    toolUseId: anthropicToolUseId(),
    inputTokens: countTokens(body.system, body.messages, body.tools),
  };
  await deliverAnswer(ex, plan, {
    stream: wantsStream(body),
    headers: baseHeaders(requestId),
    events: () => anthropicStreamEvents(answer),
    body: () => anthropicMessage(answer),
    outputs: anthropicOutputTokens(turn),
    streamError: anthropicStreamError(),
    nonStreamError: () => sendStatusFault(ex, '529', plan),
  });
}

function sendStatusFault(ex: SimExchange, fault: Exclude<SimStatusFault, '401' | '404-model' | 'hang' | 'content-filter' | '429-once'>, plan: SimFaultPlan): void {
  switch (fault) {
    case '403':
      return sendError(ex, 403, 'permission_error', 'Your API key does not have permission to use the specified resource.');
    case '429':
      return sendError(
        ex,
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.',
        { ...retryAfterHeaders(plan), 'anthropic-ratelimit-requests-remaining': '0' },
      );
    case 'quota':
      return sendError(ex, 400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.');
    case '500':
      return sendError(ex, 500, 'api_error', 'Internal server error');
    case '529':
      return sendError(ex, 529, 'overloaded_error', 'Overloaded');
  }
}

function validateMessagesBody(body: Record<string, unknown>): string | null {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return 'max_tokens: Input should be a valid integer greater than or equal to 1';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  return null;
}

/** GET /v1/models (paginated by limit / after_id / before_id) and GET /v1/models/{id}. */
function serveAnthropicModels(ex: SimExchange): void {
  const requestId = anthropicRequestId();
  const present = (m: (typeof ANTHROPIC_MODELS)[number]) => ({ type: 'model', id: m.id, display_name: m.display_name, created_at: m.created_at });
  const id = ex.url.pathname.slice('/v1/models/'.length);
  if (ex.url.pathname !== '/v1/models') {
    const model = ANTHROPIC_MODELS.find((m) => m.id === decodeURIComponent(id));
    if (!model) return sendError(ex, 404, 'not_found_error', `model: ${decodeURIComponent(id)}`);
    return sendJson(ex, 200, present(model), baseHeaders(requestId));
  }
  const limitText = ex.url.searchParams.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return sendError(ex, 400, 'invalid_request_error', 'limit: Input should be greater than or equal to 1 and less than or equal to 1000');
  const afterId = ex.url.searchParams.get('after_id');
  const beforeId = ex.url.searchParams.get('before_id');
  let start = 0;
  let end = ANTHROPIC_MODELS.length;
  if (afterId !== null) start = ANTHROPIC_MODELS.findIndex((m) => m.id === afterId) + 1;
  if (beforeId !== null) end = Math.max(0, ANTHROPIC_MODELS.findIndex((m) => m.id === beforeId));
  // Before a cursor, the page is the one just before it; after (or with no cursor), the one just after.
  const page = beforeId !== null ? ANTHROPIC_MODELS.slice(Math.max(start, end - limit), end) : ANTHROPIC_MODELS.slice(start, Math.min(end, start + limit));
  const hasMore = beforeId !== null ? end - limit > start : start + limit < end;
  sendJson(
    ex,
    200,
    { data: page.map(present), has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page[page.length - 1]?.id ?? null },
    baseHeaders(requestId),
  );
}
