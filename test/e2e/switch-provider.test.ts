// "Switching providers", in the browser: with a chat under way on Anthropic, the admin makes OpenAI the
// active provider. The chat in flight finishes on Anthropic while a new chat uses OpenAI; the Anthropic
// card counts the chat in flight, and its Delete offers to move that chat, which then continues on OpenAI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserTestsSkipped, saveProvider, signIn, startE2e, type E2e } from './e2e-harness.ts';

const ANTHROPIC_MODEL = 'claude-sonnet-4-5-20250929';
const OPENAI_MODEL = 'gpt-4o';

/** Asks in the open chat and returns the answer's model line once the answer is complete. */
async function ask(page: Page, question: string): Promise<string> {
  await page.getByLabel('Message').fill(`${question} [[sim:no-tools]]`);
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByRole('article', { name: 'Answer' }).filter({ hasText: `you asked "${question}"` });
  await answer.getByText('lazy dog').waitFor();
  await page.getByRole('button', { name: 'Send' }).waitFor();
  return answer.locator('.msg-model').innerText();
}

async function openAiConfiguration(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'AI Configuration' }).click();
  await page.getByRole('heading', { name: 'AI Configuration' }).waitFor();
}

describe('Switching providers, in the browser', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('switch-provider');
    // Anthropic active (the first saved), OpenAI beside it.
    await saveProvider(e2e, { kind: 'anthropic', label: 'Anthropic', apiKey: e2e.sim.anthropic.apiKey, models: { orchestrator: ANTHROPIC_MODEL } });
    await saveProvider(e2e, { kind: 'openai', label: 'OpenAI', apiKey: e2e.sim.openai.apiKey, models: { orchestrator: OPENAI_MODEL } });
  });
  after(async () => {
    await e2e?.close();
  });

  it('finishes the chat in flight on the old provider, then moves it on delete', async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.equal(await ask(page, 'First question'), ANTHROPIC_MODEL);
    const chatUrl = page.url();

    // Make OpenAI active: new chats use it.
    await openAiConfiguration(page);
    const anthropicCard = page.getByRole('article', { name: 'Anthropic', exact: true });
    const openAiCard = page.getByRole('article', { name: 'OpenAI', exact: true });
    await openAiCard.getByRole('button', { name: 'Make active' }).click();
    await page.getByRole('status').filter({ hasText: 'OpenAI is now the active provider' }).waitFor();
    await openAiCard.getByText('Active', { exact: true }).waitFor();
    // The Anthropic card counts the chat still in flight on it.
    const inFlight = (card: typeof anthropicCard) => card.locator('dt', { hasText: 'Chats in flight' }).locator('xpath=following-sibling::dd').innerText();
    assert.equal(await inFlight(anthropicCard), '1');
    assert.equal(await inFlight(openAiCard), 'none');
    await e2e.screenshot(page, 'openai active, a chat in flight on anthropic');

    // The chat in flight stays on Anthropic; a new chat uses OpenAI.
    await page.goto(chatUrl);
    assert.equal(await ask(page, 'Second question'), ANTHROPIC_MODEL, 'the chat in flight finishes on the provider it started with');
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL((url) => url.href !== chatUrl && url.pathname.startsWith('/chat/'));
    await page.getByText('Ask anything about your data').waitFor(); // the new chat is open, its box empty
    assert.equal(await ask(page, 'New chat question'), OPENAI_MODEL, 'a new chat uses the active provider');

    // Delete Anthropic: the dialog says a chat is in flight and offers to move it before any refusal.
    await openAiConfiguration(page);
    await anthropicCard.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Anthropic?' });
    await dialog.getByText('1 chat in flight uses this provider.').waitFor();
    assert.equal(await dialog.getByLabel('Move the in-flight chats to').inputValue(), (await openAiId(page)) ?? '');
    await e2e.screenshot(page, 'delete offers to move the chat in flight');
    await dialog.getByRole('button', { name: 'Move chats and delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted Anthropic; its in-flight chats continue on OpenAI.' }).waitFor();
    await anthropicCard.waitFor({ state: 'detached' });
    assert.equal(await inFlight(openAiCard), '2', 'both chats are now in flight on OpenAI');

    // The moved chat continues on OpenAI, its history kept.
    await page.goto(chatUrl);
    await page.getByRole('article', { name: 'Answer' }).filter({ hasText: 'you asked "Second question"' }).waitFor();
    assert.equal(await page.getByRole('article', { name: 'Answer' }).filter({ hasText: 'you asked "First question"' }).count(), 1, 'the history stays');
    assert.equal(await ask(page, 'Third question'), OPENAI_MODEL, 'the moved chat continues on OpenAI');
    await e2e.screenshot(page, 'moved chat answered by openai');
  });
});

/** OpenAI's provider id, as the page's own API gives it. */
async function openAiId(page: Page): Promise<string | undefined> {
  const res = await page.request.get('/api/admin/ai/providers');
  const { providers } = (await res.json()) as { providers: Array<{ id: string; label: string }> };
  return providers.find((p) => p.label === 'OpenAI')?.id;
}
