// The AI-observability console, in the browser, after a member's two chats: one answered with a schema
// lookup and a query, one stopped by "Turn AI off" while it was being written. Overview counts them, AI
// Sessions filters them by outcome, Session Detail shows the timeline of model and tool calls, the chat
// content only after the acknowledgement, and the JSON export.
import assert from 'node:assert/strict';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, apiSession, browserTestsSkipped, saveProvider, signIn, startE2e, type E2e } from './e2e-harness.ts';

const MEMBER_EMAIL = 'ana@acme.test';
const MEMBER_PASSWORD = 'another long passphrase';
const MODEL = 'claude-sonnet-4-5-20250929';
const QUESTION = 'How many orders did we get?';
const TOOLS = '[[sim:call:describe_dataset:{}]] [[sim:call:run_query:{"sql":"SELECT COUNT(*) AS n FROM orders"}]]';
const SLOW = 'Tell me everything. [[sim:no-tools]] [[sim:tps:5]] [[sim:words:200]]';

/** The figure under an Overview card's label. */
const stat = (page: Page, label: string) => page.locator('.stat').filter({ has: page.locator('.stat-label', { hasText: label }) }).locator('.stat-value').innerText();

describe('The observability console, in the browser', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  let providerId = '';
  let admin: Awaited<ReturnType<typeof apiSession>>;
  before(async () => {
    e2e = await startE2e('observability');
    // Setup only: a provider and a member (each has its own browser test).
    providerId = await saveProvider(e2e, { kind: 'anthropic', label: 'Anthropic', apiKey: e2e.sim.anthropic.apiKey, models: { orchestrator: MODEL } });
    admin = await apiSession(e2e.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const member = await admin('POST', '/api/admin/users', { email: MEMBER_EMAIL, password: MEMBER_PASSWORD, role: 'member' });
    assert.equal(member.status, 201, await member.text());
  });
  after(async () => {
    await e2e?.close();
  });

  it('shows the sessions, their outcomes, the timeline, the content after acknowledgement and the export', async () => {
    // The member's two chats.
    const member = await e2e.newPage();
    await signIn(member, MEMBER_EMAIL, MEMBER_PASSWORD);
    await member.getByLabel('Message').fill(`${QUESTION} ${TOOLS}`);
    await member.getByRole('button', { name: 'Send' }).click();
    await member.getByRole('article', { name: 'Answer' }).getByText('lazy dog').waitFor();
    await member.getByRole('button', { name: 'Send' }).waitFor();
    // New chat creates the session, then opens it: type only once it is open, or the text goes into the
    // previous chat's box just before that box is replaced.
    const firstChat = member.url();
    await member.getByRole('button', { name: 'New chat' }).click();
    await member.waitForURL((url) => url.href !== firstChat && url.pathname.startsWith('/chat/'));
    await member.getByText('Ask anything about your data').waitFor();
    await member.getByLabel('Message').fill(SLOW);
    await member.getByRole('button', { name: 'Send' }).click();
    await member.getByTestId('streaming-answer').filter({ hasText: 'you asked "Tell me' }).waitFor();
    // The admin turns AI off while the answer is being written: it stops with ai_disabled.
    assert.equal((await admin('POST', '/api/admin/ai/deactivate', {})).status, 200);
    await member.getByRole('article', { name: 'Answer' }).last().getByText('ai_disabled').waitFor();
    assert.equal((await admin('POST', `/api/admin/ai/providers/${providerId}/activate`, {})).status, 200);

    // Overview: two sessions by one user, one of them failed; tokens and latency were measured.
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Overview' }).click();
    await page.locator('.stat').first().waitFor();
    assert.equal(await stat(page, 'Total sessions'), '2');
    assert.equal(await stat(page, 'Active users'), '1');
    assert.equal(await stat(page, 'Error rate'), '50.0%');
    assert.match(await stat(page, 'Total tokens'), /^[1-9][\d,]*$/);
    assert.match(await stat(page, 'Average latency'), /\d/);
    assert.equal(await page.getByRole('row').filter({ hasText: MEMBER_EMAIL }).count(), 2, 'both are among the recent sessions');
    assert.equal(await page.getByTestId('rotation-due').count(), 0, 'a new key is not due for rotation');
    await e2e.screenshot(page, 'overview');

    // A key 91 days old (aged in the database: no API moves the clock): the Overview says to rotate it.
    const db = new DatabaseSync(path.join(e2e.dataDir, 'mosaic.db'));
    db.prepare('UPDATE provider_connections SET key_added_at = ?').run(new Date(Date.now() - 91 * 86_400_000).toISOString());
    db.close();
    await page.reload();
    const due = page.getByTestId('rotation-due');
    await due.waitFor();
    assert.match(await due.innerText(), /Key rotation due[\s\S]*Anthropic: key sk-ant-…\S+ is 91 days old/);
    await due.getByRole('link', { name: 'AI Configuration' }).waitFor();
    await e2e.screenshot(page, 'overview with a key due for rotation');

    // AI Sessions, filtered by outcome.
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'AI Sessions' }).click();
    await page.getByRole('heading', { name: 'AI Sessions' }).waitFor();
    const rows = page.getByRole('row').filter({ hasText: MEMBER_EMAIL });
    await rows.nth(1).waitFor();
    const filters = page.getByRole('form', { name: 'Filter sessions' });
    for (const outcome of ['Error', 'Success']) {
      await filters.getByLabel('Outcome').selectOption({ label: outcome });
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      // One row left, and the one of this outcome (the previous filter's single row must not count).
      await page.waitForFunction(
        ([email, badge]) => {
          const shown = [...document.querySelectorAll('tbody tr')].filter((r) => r.textContent?.includes(email));
          return shown.length === 1 && (shown[0]?.textContent ?? '').includes(badge);
        },
        [MEMBER_EMAIL, outcome.toLowerCase()] as const,
      );
      await e2e.screenshot(page, `sessions filtered ${outcome.toLowerCase()}`);
    }

    // Session Detail of the answered chat: model calls and the two tool calls, with durations.
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const timeline = page.locator('table.timeline tbody tr');
    await timeline.first().waitFor();
    const entries = await timeline.allInnerTexts();
    const models = entries.filter((e) => e.startsWith('Model call'));
    assert.ok(models.length >= 3, `a model call before each tool result and one for the answer: ${entries.join(' | ')}`);
    assert.ok(models.some((e) => e.includes(MODEL)), 'the model used is named');
    assert.ok(entries.some((e) => e.startsWith('Tool call') && e.includes('describe_dataset')), 'the schema lookup');
    assert.ok(entries.some((e) => e.startsWith('Tool call') && e.includes('run_query')), 'the query');
    assert.ok(entries.every((e) => /success/.test(e)), `every call went well: ${entries.join(' | ')}`);
    const facts = await page.locator('dl.facts').innerText();
    assert.match(facts, new RegExp(MEMBER_EMAIL));
    assert.match(facts, /[1-9][\d,]* in · [1-9][\d,]* out/);
    assert.ok(!facts.includes(QUESTION), 'no chat content without the acknowledgement');
    await e2e.screenshot(page, 'session detail');

    // The chat content only after the acknowledgement.
    await page.getByRole('button', { name: 'View chat content' }).click();
    const ask = page.getByRole('dialog', { name: 'View chat content?' });
    await ask.getByText('recorded in the audit log').waitFor();
    await ask.getByRole('button', { name: 'I understand, show the content' }).click();
    const content = page.getByRole('dialog', { name: 'Chat content' });
    await content.getByText(QUESTION, { exact: false }).first().waitFor();
    await e2e.screenshot(page, 'chat content after acknowledgement');
    await content.getByRole('button', { name: 'Close' }).first().click();

    // The JSON export: the same timeline.
    const href = await page.getByRole('link', { name: 'Export JSON' }).getAttribute('href');
    const exported = (await (await page.request.get(href ?? '')).json()) as { timeline?: Array<{ type: string; tool?: string | null }> };
    assert.deepEqual(
      (exported.timeline ?? []).filter((t) => t.type === 'tool_call').map((t) => t.tool),
      ['describe_dataset', 'run_query'],
    );
    assert.ok(!JSON.stringify(exported).includes(e2e.sim.anthropic.apiKey), 'the export holds no key');
  });
});
