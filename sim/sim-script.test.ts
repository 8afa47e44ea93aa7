// The simulated model's script and the fault grammar, as pure functions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDirectives, parseScriptDirectives } from './sim-directives.ts';
import { planFaults } from './sim-faults.ts';
import type { SimConversation } from './sim-script.ts';
import { answerText, countTokens, inputFromSchema, planTurn, SAMPLE_SQL, SIM_FOLLOW_UPS, splitIntoChunks } from './sim-script.ts';

const conversation = (over: Partial<SimConversation> = {}): SimConversation => ({ question: 'q', tools: [], toolsForbidden: false, stepsDone: 0, toolResults: [], ...over });
const script = (text: string) => {
  const parsed = parseScriptDirectives(extractDirectives(text).directives);
  assert.ok(parsed.ok);
  return parsed.value;
};

test('directives are extracted in order and removed from the text, JSON with "]]" included', () => {
  const { directives, text } = extractDirectives('Hi [[sim:429]] there [[sim:call:q:{"a":[[1]]}]] end');
  assert.deepEqual(directives, ['429', 'call:q:{"a":[[1]]}']);
  assert.equal(text, 'Hi there end');
  assert.deepEqual(script('[[sim:call:q:{"a":[[1]]}]]').calls, [{ name: 'q', input: { a: [[1]] } }]);
});

test('ill-formed directives and faults are errors with a message, not silence', () => {
  assert.equal(parseScriptDirectives(['call:bad name:{}']).ok, false);
  assert.equal(parseScriptDirectives(['steps:-1']).ok, false);
  assert.equal(planFaults(['tps:0']).ok, false);
  assert.equal(planFaults(['429:soon']).ok, false);
  assert.equal(planFaults(['reset-mid-stream:1']).ok, false);
  const ok = planFaults(['slow-first-byte:20', '429-once:n:30', '500', 'error-mid-stream']);
  assert.ok(ok.ok);
  assert.equal(ok.plan.status, '429-once', 'the first status fault wins');
  assert.equal(ok.plan.onceNonce, 'n');
  assert.equal(ok.plan.retryAfterMs, 30);
  assert.equal(ok.plan.slowFirstByteMs, 20);
  assert.equal(ok.plan.midStream, 'error-mid-stream');
});

test('schema inputs: sql gets the sample query, other types plausible values, only required properties', () => {
  const schema = {
    type: 'object',
    properties: { sql: { type: 'string' }, name: { type: 'string' }, n: { type: 'integer' }, flag: { type: 'boolean' }, kind: { enum: ['a', 'b'] }, opt: { type: 'string' }, nested: { type: 'object', properties: { x: { type: ['number', 'null'] } }, required: ['x'] } },
    required: ['sql', 'name', 'n', 'flag', 'kind', 'nested'],
  };
  assert.deepEqual(inputFromSchema(schema), { sql: SAMPLE_SQL, name: 'sample', n: 1, flag: true, kind: 'a', nested: { x: 1 } });
  assert.deepEqual(inputFromSchema(undefined), {});
});

test('the turn plan: tool first, text after the result, steps and max tokens respected', () => {
  const tools = [{ name: 'first', inputSchema: { type: 'object', properties: {} } }, { name: 'second', inputSchema: {} }];
  assert.deepEqual(planTurn(conversation({ tools }), script(''), null), { kind: 'tool', name: 'first', input: {}, outputTokens: countTokens('first', {}) });
  const after = planTurn(conversation({ tools, stepsDone: 1, toolResults: [{ name: 'first', output: '3 rows' }] }), script(''), null);
  assert.equal(after.kind === 'text' && after.chunks.join(''), 'I looked at the data (first): 3 rows. The quick brown fox jumps over the lazy dog.');
  assert.equal(planTurn(conversation({ tools, stepsDone: 2 }), script('[[sim:steps:3]]'), null).kind, 'tool');
  assert.equal(planTurn(conversation({ tools, stepsDone: 3 }), script('[[sim:steps:3]]'), null).kind, 'text');
  assert.equal(planTurn(conversation({ tools, toolsForbidden: true }), script(''), null).kind, 'text');
  const cut = planTurn(conversation(), script('[[sim:words:50]]'), 7);
  assert.deepEqual(cut.kind === 'text' && [cut.chunks.length, cut.truncated], [7, true]);
  const long = planTurn(conversation(), script('[[sim:words:50]]'), null);
  assert.equal(long.kind === 'text' && long.chunks.length, 50);
});

test('chunks are word-sized with their leading space; tokens are a quarter of the UTF-8 bytes, rounded up', () => {
  assert.deepEqual(splitIntoChunks('one two  three'), ['one', ' two', ' ', ' three']);
  assert.equal(countTokens('abcde'), 2);
  assert.equal(countTokens('é'), 1);
  assert.equal(countTokens(undefined, [{ a: 1 }]), Math.ceil(Buffer.byteLength('[{"a":1}]') / 4));
});

test('asked for follow-up questions or a title, the sim answers in that shape', () => {
  const conv = (question: string, instructions: string) => ({ question, tools: [], toolsForbidden: false, stepsDone: 0, toolResults: [], instructions });
  const followUps = answerText(conv('User: How many orders?\n\nAssistant: 5000.', 'Suggest up to three short follow-up questions the user might ask next.'), { words: null });
  assert.deepEqual(followUps.split('\n'), SIM_FOLLOW_UPS);
  assert.equal(answerText(conv('User: how many orders did we get in 2024?\n\nAssistant: 2,512.', 'Write a title of at most six words.'), { words: null }), 'How many orders did we');
  assert.match(answerText(conv('How many orders?', 'You are the orchestrator of an analytics assistant.'), { words: null }), /^Simulated answer/);
});
