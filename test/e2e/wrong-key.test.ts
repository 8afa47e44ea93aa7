// A wrong API Key, in the browser: Test connection shows the provider's refusal and what to do about it,
// Save is refused, and nothing is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserTestsSkipped, signIn, startE2e, type E2e } from './e2e-harness.ts';

describe('Add provider with a wrong key', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('wrong-key');
  });
  after(async () => {
    await e2e?.close();
  });

  it('shows the refusal and the hint, refuses Save and stores nothing', async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'AI Configuration' }).click();
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('radio', { name: 'Anthropic', exact: true }).check();

    // Well-shaped (so it reaches the provider), but not a key the provider issued.
    const real = e2e.sim.anthropic.apiKey;
    const wrongKey = `${real.slice(0, 20)}${real.slice(20, -2).split('').reverse().join('')}AA`;
    assert.notEqual(wrongKey, real);
    await page.getByLabel('API Key').fill(wrongKey);

    // The model list cannot load with this key: the page says so, and Default model becomes a text field.
    await page.getByRole('alert').filter({ hasText: 'could not list the models' }).waitFor();
    await page.getByRole('textbox', { name: 'Default model' }).fill('claude-sonnet-4-5-20250929');
    await e2e.screenshot(page, 'wrong key pasted');

    await page.getByRole('button', { name: 'Test connection' }).click();
    const failure = page.getByTestId('test-failure');
    await failure.waitFor();
    const failureText = await failure.innerText();
    assert.match(failureText, /Anthropic answered 401/, 'the provider\'s refusal is quoted');
    assert.match(failureText, /invalid x-api-key/);
    assert.match(failureText, /copied in full/, 'the hint says what to do');
    assert.match(failureText, /invalid_api_key/);
    assert.ok(!failureText.includes(wrongKey), 'the key is never shown back');
    await e2e.screenshot(page, 'test connection failed');

    await page.getByRole('button', { name: 'Save' }).click();
    const notSaved = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await notSaved.waitFor();
    assert.match(await notSaved.innerText(), /invalid_api_key/);
    assert.equal(new URL(page.url()).pathname, '/admin/ai-configuration/new', 'the form stays open');
    await e2e.screenshot(page, 'save refused');

    const listed = await page.request.get('/api/admin/ai/providers');
    assert.equal(listed.status(), 200);
    const body = (await listed.json()) as { providers: unknown[]; activeProviderId: string | null };
    assert.deepEqual(body.providers, []);
    assert.equal(body.activeProviderId, null);

    await page.getByRole('link', { name: 'Back to AI Configuration' }).click();
    await page.getByRole('heading', { name: 'No provider yet' }).waitFor();
    await e2e.screenshot(page, 'still no provider');
  });
});
