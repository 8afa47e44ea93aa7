// The product page "Bring Your Own API Key", followed in the browser from start to end: a Tenant Admin
// connects Anthropic with their key, tests and saves it, asks a question in a chat, watches the answer
// stream in, and finds the session under Admin → AI Sessions with the model they picked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserTestsSkipped, signIn, startE2e, type E2e } from './e2e-harness.ts';

// The admin picks a Default model other than the preselected one, so the session must show the model the
// admin picked, not a default: Sonnet 4.5, or the product page's own example when 4.5 is preselected.
const MODEL_CHOICES = ['claude-sonnet-4-5-20250929', 'claude-3-5-sonnet-20241022'];
// The simulated model looks at the schema and runs a query, as a real one would, and writes its answer at
// 25 chunks a second so that it visibly arrives in pieces (directives are not part of the echoed question).
const QUESTION = 'How many orders did we get? [[sim:call:describe_dataset:{}]] [[sim:call:run_query:{"sql":"SELECT COUNT(*) AS n FROM orders"}]] [[sim:tps:25]]';

/** Records every length the streaming answer's text takes, from now on (the app is a single page). */
async function recordStreamingLengths(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __answerLengths: number[] }).__answerLengths = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="streaming-answer"]');
      // Only the answer's own text nodes: not the "Thinking…" placeholder or the cursor beside them.
      const length = el ? Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').length : -1;
      if (length >= 0 && seen[seen.length - 1] !== length) seen.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __answerLengths: number[] }).__answerLengths);
}

describe('Bring Your Own API Key, in the browser', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('byo-key-flow');
  });
  after(async () => {
    await e2e?.close();
  });

  it('connects Anthropic, answers a chat with the picked model and lists the session', async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await e2e.screenshot(page, 'signed in');

    // 1. Admin → AI Configuration
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'AI Configuration' }).click();
    await page.getByRole('heading', { name: 'AI Configuration' }).waitFor();
    await e2e.screenshot(page, 'ai configuration empty');

    // 2. Add provider → Anthropic
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('radio', { name: 'Anthropic', exact: true }).check();

    // 3. Paste the API Key: the models load from the provider's own list, recommended ones preselected.
    await page.getByLabel('API Key').fill(e2e.sim.anthropic.apiKey);
    const defaultModel = page.getByRole('combobox', { name: 'Default model' });
    await defaultModel.and(page.locator(':enabled')).waitFor();
    const options = await defaultModel.locator('option').evaluateAll((els) => els.map((o) => (o as HTMLOptionElement).value));
    assert.ok(MODEL_CHOICES.every((m) => options.includes(m)), `the provider's list: ${options.join(', ')}`);
    const preselected = await defaultModel.inputValue();
    assert.notEqual(preselected, '', 'a recommended Default model is preselected');
    const pickedModel = MODEL_CHOICES.find((m) => m !== preselected) ?? '';
    assert.notEqual(await page.getByRole('combobox', { name: 'Fast model' }).inputValue(), '', 'a recommended Fast model is preselected');

    // 4. Pick the Default model
    await defaultModel.selectOption(pickedModel);
    await e2e.screenshot(page, 'key pasted and model picked');

    // 5. Test connection
    await page.getByRole('button', { name: 'Test connection' }).click();
    const success = page.getByTestId('test-success');
    await success.waitFor();
    assert.match(await success.innerText(), new RegExp(pickedModel));
    await e2e.screenshot(page, 'test connection succeeded');

    // 6. Save
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/admin/ai-configuration');
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.match(await page.locator('.status-line').innerText(), new RegExp(`AI is on[\\s\\S]*${pickedModel}`));
    assert.ok(!(await page.content()).includes(e2e.sim.anthropic.apiKey), 'the key is never shown again');
    await e2e.screenshot(page, 'provider saved');

    // Verify: open a chat and ask a question; the answer streams in.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill(QUESTION);
    const lengths = await recordStreamingLengths(page);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL('**/chat/*');
    const streaming = page.getByTestId('streaming-answer');
    await streaming.filter({ hasText: 'I looked at the data' }).waitFor();
    await e2e.screenshot(page, 'answer streaming');

    const answer = page.getByRole('article', { name: 'Answer' }).last();
    await answer.getByText('The quick brown fox jumps over the lazy dog.').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor(); // the Stop button is gone: the answer is complete
    const grew = await lengths();
    const growing = grew.filter((n) => n > 0);
    assert.ok(growing.length >= 5, `the answer arrived in pieces, not at once (lengths seen: ${grew.join(', ')})`);
    assert.ok(growing.every((n, i) => i === 0 || n > (growing[i - 1] ?? 0)), `the text only grew: ${growing.join(', ')}`);

    const answerText = await answer.innerText();
    assert.match(answerText, /I looked at the data/);
    assert.ok(answerText.includes(pickedModel), 'the answer names the model that wrote it');
    // The tool steps are shown, collapsed; opening the query's step shows the SQL and how many rows came back.
    const steps = answer.getByLabel('Steps').locator('details');
    assert.equal(await steps.count(), 2, 'two steps: the schema lookup and the query');
    const queryStep = steps.filter({ hasText: 'run_query' });
    assert.match(await queryStep.locator('summary').innerText(), /1 row\b/, 'the summary says how many rows came back');
    await queryStep.locator('summary').click();
    assert.match(await queryStep.innerText(), /SELECT COUNT\(\*\) AS n FROM orders/, 'the step shows the query that ran');
    await e2e.screenshot(page, 'answer complete with steps');

    // Verify: Admin → AI Sessions shows the session with the model selected.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'AI Sessions' }).click();
    await page.getByRole('heading', { name: 'AI Sessions' }).waitFor();
    const rows = page.getByRole('row').filter({ hasText: ADMIN_EMAIL });
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, 'one session');
    const rowText = await rows.first().innerText();
    assert.ok(rowText.includes(pickedModel), `the session shows the model selected: ${rowText}`);
    // Leaving the chat right after the answer must not turn the session into a failure.
    assert.match(rowText, /success/, `the session went well: ${rowText}`);
    await e2e.screenshot(page, 'ai sessions');
  });
});
