import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseDecoder } from './sse-decoder.ts';

function decode(pieces: string[], end = true): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const decoder = new SseDecoder();
  const onEvent = (event: string, data: string) => out.push([event, data]);
  for (const piece of pieces) decoder.push(piece, onEvent);
  if (end) decoder.end(onEvent);
  return out;
}

const anthropic = 'event: message_start\ndata: {"type":"message_start"}\n\nevent: ping\ndata: {"type": "ping"}\n\n';

test('events with and without an event name, in order', () => {
  assert.deepEqual(decode([anthropic]), [
    ['message_start', '{"type":"message_start"}'],
    ['ping', '{"type": "ping"}'],
  ]);
  assert.deepEqual(decode(['data: {"a":1}\n\ndata: [DONE]\n\n']), [
    ['', '{"a":1}'],
    ['', '[DONE]'],
  ]);
});

test('any split of the bytes gives the same events', () => {
  const whole = decode([anthropic]);
  for (let i = 0; i <= anthropic.length; i++) {
    assert.deepEqual(decode([anthropic.slice(0, i), anthropic.slice(i)]), whole, `split at ${i}`);
  }
  assert.deepEqual(decode([...anthropic]), whole, 'one character at a time');
});

test('CRLF and CR line ends, also when CR and LF arrive in different pieces', () => {
  const crlf = anthropic.replaceAll('\n', '\r\n');
  const cr = anthropic.replaceAll('\n', '\r');
  const expected = decode([anthropic]);
  assert.deepEqual(decode([crlf]), expected);
  assert.deepEqual(decode([cr]), expected);
  for (let i = 0; i <= crlf.length; i++) assert.deepEqual(decode([crlf.slice(0, i), crlf.slice(i)]), expected, `CRLF split at ${i}`);
});

test('comments are skipped; several data lines join with a newline; one leading space is removed', () => {
  assert.deepEqual(decode([': keep-alive\n\ndata:first\ndata:  second\nid: 7\nretry: 10\n\n']), [['', 'first\n second']]);
});

test('a blank event (no data) dispatches nothing and forgets its name', () => {
  assert.deepEqual(decode(['event: ping\n\ndata: x\n\n']), [['', 'x']]);
});

test('a last event without its blank line is delivered at the end, not before', () => {
  assert.deepEqual(decode(['data: [DONE]'], false), []);
  assert.deepEqual(decode(['data: [DONE]']), [['', '[DONE]']]);
  assert.deepEqual(decode(['data: [DONE]\n']), [['', '[DONE]']]);
});

test('multi-byte text split across pieces is the caller\'s job (pieces are decoded strings)', () => {
  assert.deepEqual(decode(['data: {"t":"caf', 'é ☕"}\n\n']), [['', '{"t":"café ☕"}']]);
});
