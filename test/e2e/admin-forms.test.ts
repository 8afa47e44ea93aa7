// The admin's everyday forms in the browser, their error paths included: Add user refused for an email
// that exists (the error under the field, the form usable again), then added; a password reset refused,
// then done; a user disabled; the monthly limits saved. Each form's busy state and error come from
// web/src/components/use-action.ts, so these also check that an error clears and the buttons come back.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserTestsSkipped, signIn, startE2e, type E2e } from './e2e-harness.ts';

const NEW_EMAIL = 'analyst@acme.test';

describe('admin forms, in the browser', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('admin-forms');
  });
  after(async () => {
    await e2e?.close();
  });

  it('adds a user (after an email that exists), resets a password (after a refusal), disables the user and saves limits', async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    // Add user: an email that exists is refused under the Email field; the form stays usable.
    await page.getByRole('button', { name: 'Add user' }).click();
    const add = page.getByRole('dialog', { name: 'Add user' });
    await add.getByLabel('Email').fill(ADMIN_EMAIL);
    await add.getByLabel('Initial password').fill('a fine initial password');
    await add.getByRole('button', { name: 'Add user' }).click();
    await add.getByText('A user with this email already exists.').waitFor();
    assert.equal(await add.getByRole('button', { name: 'Add user' }).isEnabled(), true, 'not busy after the refusal');
    await e2e.screenshot(page, 'add user refused');
    await add.getByLabel('Email').fill(NEW_EMAIL);
    await add.getByRole('button', { name: 'Add user' }).click();
    await add.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: NEW_EMAIL }).waitFor();

    // Reset password: too short is refused with the server's error; a good one is set.
    await page.getByRole('button', { name: `Reset password of ${NEW_EMAIL}` }).click();
    const reset = page.getByRole('dialog', { name: `Reset password — ${NEW_EMAIL}` });
    await reset.getByLabel('New password').fill('short');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByRole('alert').waitFor();
    assert.equal(await reset.getByRole('button', { name: 'Set password' }).isEnabled(), true, 'not busy after the refusal');
    await reset.getByLabel('New password').fill('a much better new password');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByText('The password was changed.').waitFor();
    assert.equal(await reset.getByRole('alert').count(), 0, 'the earlier error is gone');
    await reset.getByRole('button', { name: 'Done' }).click();

    // Disable: the row's button turns into Enable.
    await page.getByRole('button', { name: `Disable ${NEW_EMAIL}` }).click();
    await page.getByRole('button', { name: `Enable ${NEW_EMAIL}` }).waitFor();

    // Usage & limits: a monthly budget is saved.
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Usage & limits' }).click();
    await page.getByLabel(/^Monthly budget \(USD\)/).fill('250');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await e2e.screenshot(page, 'limits saved');

    // The alert webhook: a URL with credentials in it is refused under its field; a good one is saved and shown
    // by its origin only; saving other limits keeps it; Remove removes it.
    const hook = page.getByLabel(/^Alert webhook URL/);
    const secretPath = 'services/T000/B000/e2e-webhook-secret';
    await hook.fill('https://user:password@hooks.example.com/x');
    await page.getByRole('button', { name: 'Save limits' }).click();
    const refusal = page.locator('.field', { has: hook }).locator('.field-error');
    await refusal.waitFor();
    assert.ok(!(await refusal.innerText()).includes('password@'), `the refusal does not quote the URL back: ${await refusal.innerText()}`);
    // Send a test alert to the URL being typed, before saving it: a local webhook receives it.
    const received: string[] = [];
    const local = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204, { connection: 'close' }).end();
      });
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      await hook.fill(`http://127.0.0.1:${(local.address() as AddressInfo).port}/hook`);
      await page.getByRole('button', { name: 'Send a test alert' }).click();
      await page.getByTestId('webhook-test-ok').waitFor();
      assert.match(await page.getByTestId('webhook-test-ok').innerText(), /answered 204/);
      assert.equal((JSON.parse(received[0] ?? '{}') as { type?: string }).type, 'budget.alert.test');
      await e2e.screenshot(page, 'test alert delivered');
    } finally {
      await new Promise((resolve) => local.close(resolve));
    }
    await hook.fill(`https://hooks.example.com/${secretPath}`);
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Alerts go to https://hooks.example.com/…').waitFor();
    assert.equal(await hook.inputValue(), '', 'the field empties: the URL is not shown again');
    assert.ok(!(await page.content()).includes(secretPath), 'only the origin is shown');
    await page.getByLabel(/^Monthly budget \(USD\)/).fill('300');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await page.getByText('Alerts go to https://hooks.example.com/…').waitFor();
    await e2e.screenshot(page, 'webhook kept');
    await page.getByRole('button', { name: 'Remove webhook' }).click();
    await page.getByText('The webhook will be removed when you save.').waitFor();
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText(/Mosaic POSTs each budget alert here/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Remove webhook' }).count(), 0);
  });
});
