// Shared by the security suite: what every error answer must look like, and the hostile bodies an
// attacker sends to every write route.
import assert from 'node:assert/strict';

export interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
// A stack frame ("at fn (/path/file.ts:12:3)"), a source path, or a Node internal: none may leave the server.
const LEAKS = [/\bat [^\n]*\.(ts|js|mjs|cjs):\d+/, /\n\s+at /, /\/work\//, /node_modules/, /node:internal/, /\.ts:\d+/];

/** No 5xx; an error answer is `{error:{code,message}}` with a snake_case code and no stack or path. */
export function assertSafeAnswer(res: Answer, what: string): void {
  assert.ok(res.statusCode < 500, `${what}: answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
  for (const leak of LEAKS) assert.doesNotMatch(res.body, leak, `${what}: the body leaks internals: ${res.body.slice(0, 500)}`);
  if (res.statusCode < 400) return;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    assert.fail(`${what}: the ${res.statusCode} answer is not JSON: ${res.body.slice(0, 300)}`);
  }
  assert.equal(typeof body.error?.code, 'string', `${what}: no error.code in ${res.body.slice(0, 300)}`);
  assert.match(body.error?.code as string, SNAKE_CASE, `${what}: the code is not snake_case`);
  assert.equal(typeof body.error?.message, 'string', `${what}: no error.message`);
}

/** assertSafeAnswer, then this exact status and code. */
export function assertErrorAnswer(res: Answer, status: number, code: string, what: string): void {
  assertSafeAnswer(res, what);
  assert.equal(res.statusCode, status, `${what}: expected ${status} ${code}, got ${res.statusCode}: ${res.body.slice(0, 300)}`);
  assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, code, `${what}: ${res.body.slice(0, 300)}`);
}

/** `depth` nested objects as raw JSON text (built as text: JSON.stringify would recurse that deep). */
export function deeplyNested(depth: number, open = '{"a":', close = '}', leaf = '1'): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

export interface RawBody {
  name: string;
  payload: string;
  contentType: string;
}

/** Bodies that are not what any route expects; each must be a 4xx in the contract's shape, never a 500. */
export function hostileBodies(): RawBody[] {
  const json = (name: string, payload: string): RawBody => ({ name, payload, contentType: 'application/json' });
  return [
    json('malformed JSON', '{"name": "x",'),
    json('truncated string', '{"name": "x'),
    json('empty body', ''),
    json('a JSON array', '[1,2,3]'),
    json('a JSON string', '"hello"'),
    json('JSON null', 'null'),
    json('a JSON number', '42'),
    json('true', 'true'),
    json('a __proto__ key', '{"__proto__": {"isAdmin": true}, "name": "x"}'),
    json('a nested __proto__ key', '{"models": {"__proto__": {"x": 1}}}'),
    json('a constructor.prototype key', '{"constructor": {"prototype": {"isAdmin": true}}}'),
    json('10,000 nested objects', deeplyNested(10_000)),
    json('10,000 nested arrays', deeplyNested(10_000, '[', ']')),
    json('nested objects under real field names', `{"name":${deeplyNested(10_000)},"content":${deeplyNested(100)},"apiKey":${deeplyNested(100)}}`),
    json('a lone surrogate and NUL bytes', '{"name": "\\ud800\\u0000x", "content": "\\u0000"}'),
    json('duplicate keys', '{"name":"a","name":{"x":1}}'),
    json('very big number', '{"name": 1e400, "expiresInDays": 1e400, "maxAgentSteps": 1e400}'),
    { name: 'text/plain', payload: 'hello', contentType: 'text/plain' },
    { name: 'form-encoded', payload: 'name=x&__proto__=y', contentType: 'application/x-www-form-urlencoded' },
    { name: 'an unknown content type', payload: '\u0000\u0001', contentType: 'application/octet-stream' },
  ];
}

/** Every leaf of a JSON value, with the path to it. */
export function leaves(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [{ path: at, value }];
}

/** A deep copy of `value` with the leaf at `path` replaced. */
export function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}
