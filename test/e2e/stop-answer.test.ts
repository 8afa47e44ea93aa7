// Stop, in the browser: a slow answer is being written; pressing Stop ends the stream, the partial answer
// stays visible (marked stopped), and the chat takes the next question at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserTestsSkipped, saveProvider, signIn, startE2e, type E2e } from './e2e-harness.ts';

// 200 chunks at 5 a second: 40 s if nobody stops it. No tools, so the text starts at once.
const SLOW_QUESTION = 'Tell me everything about our orders. [[sim:no-tools]] [[sim:tps:5]] [[sim:words:200]]';
const QUICK_QUESTION = 'And in one line? [[sim:no-tools]]';

/** The answer's own text, without the "writing…" cursor or placeholder. */
const answerText = (answer: Locator) => answer.locator('.msg-text').evaluate((el) => Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join(''));

/** Awaits `step`; if it fails, says what the page and the server showed at that moment. */
async function explained(e2e: E2e, page: Page, what: string, step: Promise<void>): Promise<void> {
  try {
    await step;
  } catch (error) {
    const answers = await page.getByRole('article', { name: 'Answer' }).allInnerTexts().catch(() => []);
    const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
    const log = e2e.serverLog().split('\n').slice(-15).join('\n');
    throw new Error(`${what}: ${(error as Error).message}\nanswers on the page: ${JSON.stringify(answers)}\nalerts: ${JSON.stringify(alerts)}\nserver log (last lines):\n${log}`);
  }
}

describe('Stop while an answer is being written', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('stop-answer');
    await saveProvider(e2e, { kind: 'anthropic', apiKey: e2e.sim.anthropic.apiKey, models: { orchestrator: 'claude-sonnet-4-5-20250929' } });
  });
  after(async () => {
    await e2e?.close();
  });

  it('ends the stream and keeps the partial answer visible', async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByLabel('Message').fill(SLOW_QUESTION);
    await page.getByRole('button', { name: 'Send' }).click();

    const streaming = page.getByTestId('streaming-answer');
    await streaming.filter({ hasText: 'you asked "Tell me' }).waitFor();
    const stop = page.getByRole('button', { name: 'Stop' });
    await e2e.screenshot(page, 'slow answer being written');
    const seenBeforeStop = await answerText(page.getByRole('article', { name: 'Answer' }).last());
    await stop.click();

    // The Stop button gives way to Send; the stored answer then replaces the live copy, marked stopped, with
    // the text written before Stop kept. (The stored text may hold a chunk or two more than the browser had
    // shown: the server stores what it relayed until it saw the connection close, and shows the truth.)
    await explained(e2e, page, 'Send comes back', page.getByRole('button', { name: 'Send' }).waitFor());
    const answer = page.getByRole('article', { name: 'Answer' }).last();
    await explained(e2e, page, 'the stored answer replaces the live copy', page.getByTestId('streaming-answer').waitFor({ state: 'detached' }));
    await explained(e2e, page, 'the answer is marked stopped', answer.getByText('stopped', { exact: true }).waitFor());
    const partial = await answerText(answer);
    assert.ok(partial.startsWith(seenBeforeStop), `what was written before Stop is still there: "${seenBeforeStop}" → "${partial}"`);
    assert.match(partial, /^Simulated answer: you asked "Tell me/);
    const words = partial.trim().split(/\s+/).length;
    assert.ok(words < 100, `only part of the 200 chunks arrived (${words} words)`);
    await e2e.screenshot(page, 'stopped');

    // Nothing more arrives: the stream really ended (at 5 chunks a second, 1 s would add about five words).
    await page.waitForTimeout(1000);
    assert.equal(await answerText(answer), partial, 'the text stops growing');

    // The server ended it too: the stored answer is interrupted, and the session takes a new question.
    const sessionId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const stored = (await (await page.request.get(`/api/chat/sessions/${sessionId}`)).json()) as { messages: Array<{ role: string; status: string; content: string }> };
    const last = stored.messages.at(-1);
    assert.equal(last?.role, 'assistant');
    assert.equal(last?.status, 'interrupted');
    assert.ok(last && last.content.length > 0 && last.content.length < 600, `a partial answer is stored (${last?.content.length} characters)`);

    await page.getByLabel('Message').fill(QUICK_QUESTION);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('article', { name: 'Answer' }).filter({ hasText: 'you asked "And in one line?"' }).getByText('lazy dog').waitFor();
    assert.equal(await page.getByRole('article', { name: 'Answer' }).filter({ hasText: partial.slice(0, 60) }).count(), 1, 'the stopped answer is still there');
    await e2e.screenshot(page, 'next question answered');
  });
});
