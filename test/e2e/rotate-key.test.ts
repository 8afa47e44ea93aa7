// "Rotate keys periodically", in the browser: a new key that fails its test changes nothing; one that
// passes replaces the old key, the dialog names the old key to revoke at the provider, the chat history
// stays, and the next answer is made with the new key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserTestsSkipped, saveProvider, signIn, startE2e, type E2e } from './e2e-harness.ts';

async function ask(page: Page, question: string): Promise<void> {
  await page.getByLabel('Message').fill(`${question} [[sim:no-tools]]`);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('article', { name: 'Answer' }).filter({ hasText: `you asked "${question}"` }).getByText('lazy dog').waitFor();
  await page.getByRole('button', { name: 'Send' }).waitFor();
}

/** The value shown beside a label on the provider's card. */
const fact = (page: Page, label: string) => page.getByRole('article', { name: 'Anthropic', exact: true }).locator('dt', { hasText: label }).locator('xpath=following-sibling::dd').innerText();

describe('Rotate the key, in the browser', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('rotate-key');
    await saveProvider(e2e, { kind: 'anthropic', label: 'Anthropic', apiKey: e2e.sim.anthropic.apiKey, keyName: 'mosaic-prod', models: { orchestrator: 'claude-sonnet-4-5-20250929' } });
  });
  after(async () => {
    await e2e?.close();
  });

  it('keeps the old key after a failed test, rotates on a good one and keeps the history', async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await ask(page, 'Before the rotation');
    const chatUrl = page.url();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'AI Configuration' }).click();
    await page.getByRole('heading', { name: 'AI Configuration' }).waitFor();
    const oldHint = await fact(page, 'API key');
    assert.equal(await fact(page, 'Key name'), 'mosaic-prod');

    // A new key the provider refuses: the refusal is shown and the current key stays.
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate key — Anthropic' });
    const real = e2e.sim.anthropic.apiKey;
    const refused = `${real.slice(0, 20)}${real.slice(20, -2).split('').reverse().join('')}ZZ`;
    await dialog.getByLabel('New API Key').fill(refused);
    await dialog.getByRole('button', { name: 'Test and rotate' }).click();
    const failure = dialog.getByRole('alert');
    await failure.getByText('The key was not changed').waitFor();
    const failureText = await failure.innerText();
    assert.match(failureText, /invalid_api_key/);
    assert.ok(!failureText.includes(refused), 'the refusal never shows the key back');
    await e2e.screenshot(page, 'new key refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await fact(page, 'API key'), oldHint, 'the current key stays');

    // A good key: rotated, and the dialog says which key to revoke.
    const newKey = e2e.sim.faultKey('anthropic', 'tps:100000'); // another key the simulator accepts
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await dialog.getByLabel('New API Key').fill(newKey);
    await dialog.getByLabel('New key name').fill('mosaic-prod-2');
    await dialog.getByRole('button', { name: 'Test and rotate' }).click();
    const done = page.getByRole('dialog', { name: 'Key rotated' });
    await done.getByText('The new key works and is in use.').waitFor();
    assert.match(await done.innerText(), new RegExp(`Revoke the previous key ${oldHint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mosaic-prod\\) at the provider`));
    await e2e.screenshot(page, 'key rotated');
    await done.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('article', { name: 'Anthropic', exact: true }).locator('dd', { hasText: 'mosaic-prod-2' }).waitFor();
    assert.notEqual(await fact(page, 'API key'), oldHint);
    assert.ok(!(await page.content()).includes(newKey), 'the new key is never shown again');

    // The chat's history stays, and its next answer is made with the new key.
    await page.goto(chatUrl);
    await page.getByRole('article', { name: 'Answer' }).filter({ hasText: 'you asked "Before the rotation"' }).waitFor();
    await ask(page, 'After the rotation');
    const keysUsed = e2e.sim.requests.all().filter((r) => r.path === '/v1/messages').map((r) => r.headers['x-api-key']);
    assert.equal(keysUsed.at(-1), newKey, 'the answer after the rotation used the new key');
    assert.ok(keysUsed.slice(0, 1).every((k) => k === real), 'the answer before it used the old one');
  });
});
