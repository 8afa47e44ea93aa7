// Personal access tokens, in the browser from start to end: a member opens Access tokens, creates a named
// token and sees its value once, the value works as a bearer token against the API, the list (after a
// reload) shows the token by name but never its value, and revoking it in the UI ends the bearer's access.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, apiSession, browserTestsSkipped, signIn, startE2e, type E2e } from './e2e-harness.ts';

// A member, not the Tenant Admin: tokens are for every signed-in person, not an admin feature.
const MEMBER_EMAIL = 'scripter@acme.test';
const MEMBER_PASSWORD = 'a member password 456';
const TOKEN_NAME = 'weekly-report-script';

describe('personal access tokens, in the browser', { skip: browserTestsSkipped() }, () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e('access-tokens');
    const admin = await apiSession(e2e.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const created = await admin('POST', '/api/admin/users', { email: MEMBER_EMAIL, password: MEMBER_PASSWORD, role: 'member' });
    assert.equal(created.status, 201, await created.text());
  });
  after(async () => {
    await e2e?.close();
  });

  /** Calls the API as a script would: only the bearer token, no cookie, no CSRF header. */
  const asBearer = (token: string, path: string) => fetch(`${e2e.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('creates a token shown once, uses it as a bearer, lists it without its value and revokes it', async () => {
    const page = await e2e.newPage();
    // The Copy button writes to the clipboard; granting it lets the test read back what was copied.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
    await signIn(page, MEMBER_EMAIL, MEMBER_PASSWORD);

    // 1. Access tokens, from the header as a person would find it.
    await page.getByRole('link', { name: 'Access tokens' }).click();
    await page.waitForURL('**/tokens');
    await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    await page.getByText('No tokens yet').waitFor();
    await e2e.screenshot(page, 'access tokens empty');

    // 2. Create a token with a name.
    await page.getByLabel('Token name').fill(TOKEN_NAME);
    await page.getByRole('button', { name: 'Create token' }).click();

    // 3. Shown once: its value in the note, with a working Copy button.
    const note = page.getByTestId('new-token');
    await note.waitFor();
    assert.match(await note.innerText(), new RegExp(`Token “${TOKEN_NAME}” created`));
    const token = (await note.getByLabel('The new token').innerText()).trim();
    assert.match(token, /^mosaic_pat_\S{16,}$/, `the token as shown: ${token}`);
    // So that the "not in the page" checks below look for a string that the page really did hold.
    assert.ok((await page.content()).includes(token), 'the page content holds the value while it is shown');
    await note.getByRole('button', { name: 'Copy token' }).click();
    await note.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token, 'Copy token copies exactly the shown value');
    await e2e.screenshot(page, 'token created and shown once');

    // 4. The value really is a bearer token with its owner's rights.
    const me = await asBearer(token, '/api/me');
    assert.equal(me.status, 200, await me.clone().text());
    assert.equal(((await me.json()) as { user: { email: string } }).user.email, MEMBER_EMAIL);
    const listed = await asBearer(token, '/api/tokens');
    assert.equal(listed.status, 200);
    const listedText = await listed.text();
    assert.ok(!listedText.includes(token), 'GET /api/tokens never returns a token value');
    assert.deepEqual(((JSON.parse(listedText) as { tokens: Array<{ name: string }> }).tokens).map((t) => t.name), [TOKEN_NAME]);

    // 5. Dismissing the note hides the value for good.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await note.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(token), 'the value is gone once the note is dismissed');

    // 6. After a reload: listed by name, its use recorded, the value nowhere in the page or its storage.
    await page.reload();
    await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: TOKEN_NAME, exact: true }) });
    await row.waitFor();
    assert.equal(await row.count(), 1, 'one row for the token');
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.notEqual(cells[3]?.trim(), 'never', `the bearer call shows as Last used: ${cells.join(' | ')}`);
    assert.equal(await page.getByTestId('new-token').count(), 0, 'the shown-once note does not come back');
    assert.ok(!(await page.content()).includes(token), 'the token value is not in the page after a reload');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes(token), 'the token value is not kept in browser storage');
    await e2e.screenshot(page, 'token listed after reload');

    // 7. Revoke, confirming in the dialog: the row goes.
    await row.getByRole('button', { name: `Revoke ${TOKEN_NAME}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke “${TOKEN_NAME}”?` });
    await dialog.waitFor();
    await e2e.screenshot(page, 'revoke confirmation');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('No tokens yet').waitFor();
    assert.equal(await row.count(), 0, 'the revoked token is no longer listed');
    await e2e.screenshot(page, 'token revoked');

    // 8. The same bearer is refused from now on, and the list stays empty after a reload.
    const refused = await asBearer(token, '/api/me');
    assert.equal(refused.status, 401, await refused.clone().text());
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    await page.reload();
    await page.getByText('No tokens yet').waitFor();
    assert.equal(await page.getByRole('cell', { name: TOKEN_NAME, exact: true }).count(), 0);
  });
});
