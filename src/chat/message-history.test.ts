import assert from 'node:assert/strict';
import { it } from 'node:test';
import { appendText, assistantTurns, textOf, toNeutralHistory } from './message-history.ts';
import type { NeutralPart } from '../providers/provider.ts';

it('turns stored answers into alternating assistant and tool messages', () => {
  const parts: NeutralPart[] = [
    { type: 'text', text: 'Let me look. ' },
    { type: 'tool-call', id: 'a', name: 'run_query', input: { sql: 'SELECT 1' } },
    { type: 'tool-result', id: 'a', name: 'run_query', output: { rows: [[1]] } },
    { type: 'text', text: 'One.' },
  ];
  assert.deepEqual(assistantTurns(parts), [
    { role: 'assistant', parts: [parts[0], parts[1]] },
    { role: 'tool', results: [parts[2]] },
    { role: 'assistant', parts: [parts[3]] },
  ]);
});

it('leaves out a tool call whose result never came (an answer cut mid-step), keeping its text', () => {
  const parts: NeutralPart[] = [
    { type: 'text', text: 'Checking' },
    { type: 'tool-call', id: 'x', name: 'run_query', input: {} },
  ];
  assert.deepEqual(
    toNeutralHistory([
      { role: 'user', content: 'q', parts: [], status: 'complete' },
      { role: 'assistant', content: 'Checking', parts, status: 'interrupted' },
      { role: 'user', content: 'again', parts: [], status: 'complete' },
    ]),
    [
      { role: 'user', content: 'q' },
      { role: 'assistant', parts: [{ type: 'text', text: 'Checking' }] },
      { role: 'user', content: 'again' },
    ],
  );
});

it('drops an empty answer entirely', () => {
  assert.deepEqual(toNeutralHistory([{ role: 'assistant', content: '', parts: [], status: 'error' }]), []);
});

it('merges streamed text into one part and reads the text back', () => {
  const parts: NeutralPart[] = [];
  appendText(parts, 'Hel');
  appendText(parts, 'lo');
  parts.push({ type: 'tool-call', id: 'a', name: 't', input: {} });
  appendText(parts, '!');
  assert.equal(parts.length, 3);
  assert.equal(textOf(parts), 'Hello!');
});
