// A member (not a Tenant Admin) sees no Admin entry and is refused every admin page, also by address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, apiSession, browserTestsSkipped, signIn, startE2e, type E2e } from './e2e-harness.ts';

const MEMBER_EMAIL = 'member@acme.test';
const MEMBER_PASSWORD = 'a member password 123';

describe('a member and the admin pages', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('member-access');
    const admin = await apiSession(e2e.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const created = await admin('POST', '/api/admin/users', { email: MEMBER_EMAIL, password: MEMBER_PASSWORD, role: 'member' });
    assert.equal(created.status, 201, await created.text());
  });
  after(async () => {
    await e2e?.close();
  });

  it('shows no Admin entry to a member and refuses the admin pages', async () => {
    const page = await e2e.newPage();
    await signIn(page, MEMBER_EMAIL, MEMBER_PASSWORD);
    const mainNav = page.getByRole('navigation', { name: 'Main' });
    await mainNav.getByRole('link', { name: 'Chat' }).waitFor();
    assert.equal(await mainNav.getByRole('link', { name: 'Admin' }).count(), 0, 'no Admin entry');
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0);
    await e2e.screenshot(page, 'member signed in');

    for (const path of ['/admin', '/admin/ai-configuration', '/admin/ai-configuration/new', '/admin/sessions']) {
      await page.goto(path);
      await page.getByRole('heading', { name: 'You need the Tenant Admin role' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Add provider' }).count(), 0, `${path}: no admin controls`);
      assert.equal(await page.getByRole('navigation', { name: 'Admin' }).count(), 0, `${path}: no admin navigation`);
      await e2e.screenshot(page, `refused ${path}`);
    }

    // The server refuses too, not just the page.
    const api = await page.request.get('/api/admin/ai/providers');
    assert.equal(api.status(), 403);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'forbidden');
  });
});
