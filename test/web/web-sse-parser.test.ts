// The chat's SSE reader must reassemble events however the bytes are chunked by the network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toChatStreamEvent } from '../../web/src/api/chat-stream.ts';
import { SseParser, type SseFrame } from '../../web/src/api/sse-parser.ts';

const STREAM =
  'event: message-start\ndata: {"messageId":"m1","model":"claude-sonnet-4-5"}\n\n' +
  ': keep-alive\n\n' +
  'event: text-delta\ndata: {"text":"Revenue grew 12 % — "}\n\n' +
  'event: tool-call\r\ndata: {"id":"t1","name":"run_query","input":{"sql":"select 1"}}\r\n\r\n' +
  'event: text-delta\ndata: {"text":"naïve ✓"}\n\n' +
  'event: message-end\ndata: {"messageId":"m1","model":"claude-sonnet-4-5","finishReason":"stop","usage":{"inputTokens":10,"outputTokens":5}}\n\n';

function parseInChunks(text: string, size: number): SseFrame[] {
  const parser = new SseParser();
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  for (let i = 0; i < bytes.length; i += size) frames.push(...parser.feed(decoder.decode(bytes.slice(i, i + size), { stream: true })));
  frames.push(...parser.feed(decoder.decode()), ...parser.end());
  return frames;
}

describe('SSE parser', () => {
  it('yields the same events for every chunk size, even splitting multi-byte characters and CRLF', () => {
    const whole = parseInChunks(STREAM, STREAM.length * 4);
    assert.deepEqual(
      whole.map((f) => f.event),
      ['message-start', 'text-delta', 'tool-call', 'text-delta', 'message-end'],
    );
    for (const size of [1, 2, 3, 5, 7, 13, 64]) assert.deepEqual(parseInChunks(STREAM, size), whole, `chunk size ${size}`);
    const text = whole.filter((f) => f.event === 'text-delta').map((f) => JSON.parse(f.data).text).join('');
    assert.equal(text, 'Revenue grew 12 % — naïve ✓');
  });

  it('joins multi-line data with newlines and defaults the event name to "message"', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.feed('data: a\ndata: b\n\n'), [{ event: 'message', data: 'a\nb' }]);
  });

  it('dispatches a last event that lacks its blank line when the stream ends', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.feed('event: title\ndata: {"title":"Sales"}'), []);
    assert.deepEqual(parser.end(), [{ event: 'title', data: '{"title":"Sales"}' }]);
  });

  it('does not split a CRLF that arrives in two chunks into two line ends', () => {
    const parser = new SseParser();
    const frames = [...parser.feed('data: x\r'), ...parser.feed('\ndata: y\r\n\r\n')];
    assert.deepEqual(frames, [{ event: 'message', data: 'x\ny' }]);
  });
});

describe('chat stream events', () => {
  it('maps the contract events and skips unknown or malformed ones', () => {
    assert.deepEqual(toChatStreamEvent({ event: 'suggestions', data: '{"questions":["By region?"]}' }), { type: 'suggestions', questions: ['By region?'] });
    assert.deepEqual(toChatStreamEvent({ event: 'error', data: '{"error":{"code":"ai_disabled","message":"AI was turned off."}}' }), {
      type: 'error',
      error: { code: 'ai_disabled', message: 'AI was turned off.' },
    });
    assert.equal(toChatStreamEvent({ event: 'future-event', data: '{}' }), null);
    assert.equal(toChatStreamEvent({ event: 'text-delta', data: 'not json' }), null);
  });
});
