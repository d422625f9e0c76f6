import { readFileSync } from 'node:fs';
import { ADMIN, enrol } from './pages/auth';
import { addUser, TEMP_PASSWORD as PASSWORD, today, UsersPage } from './pages/admin';
import { expect, test } from './fixtures';

test.describe('security core', () => {
  test('first-run setup, TOTP sign-in, and nothing shown without sign-in', async ({
    page,
    shell,
    auth,
    admin,
  }) => {
    await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN.name);
    await auth.signOut();
    await expect(shell.nav.getByRole('link')).toHaveCount(0);
    await page.goto('/#/audit');
    await expect(auth.heading()).toHaveText('Sign in');
    // The password alone is not enough.
    await auth.signIn(ADMIN.username, ADMIN.password, null);
    await expect(auth.error()).toContainText('Wrong username, password or code');
    await auth.signIn(ADMIN.username, ADMIN.password, admin.authenticator);
    await expect(auth.heading()).toHaveText('Audit');
  });

  test('five failed sign-ins lock the account until an administrator unlocks it', async ({
    page,
    auth,
    admin,
  }) => {
    await addUser(page, 'officer', ['operator'], today());
    await auth.signOut();
    for (let i = 1; i <= 4; i++) {
      await auth.signIn('officer', 'not the password', null);
      await expect(auth.error()).toContainText(`${5 - i} attempt`);
    }
    await auth.signIn('officer', 'not the password', null);
    await expect(auth.error()).toContainText('now locked');
    await auth.signIn('officer', PASSWORD, null);
    await expect(auth.error()).toContainText('locked');

    await auth.signIn(ADMIN.username, ADMIN.password, admin.authenticator);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    const users = new UsersPage(page);
    await expect(users.row('officer')).toContainText('locked');
    await users.row('officer').getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(users.row('officer')).not.toContainText('locked');
    await auth.signOut();
    await auth.signIn('officer', PASSWORD, null);
    await enrol(page);
    await expect(page.getByTestId('blockers')).toContainText('acknowledge the agency ALPR policy');
  });

  test('a user whose training expired can sign in only to see why', async ({
    page,
    auth,
    admin: _signedIn,
  }) => {
    const threeYearsAgo = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    await addUser(page, 'veteran', ['investigator'], threeYearsAgo);
    await auth.signOut();
    await auth.signIn('veteran', PASSWORD, null);
    await enrol(page);
    await expect(auth.heading()).toHaveText('Access blocked');
    await expect(page.getByTestId('blockers')).toContainText('ALPR training expired on');
    await page.getByLabel('I have read the policy').check();
    await page.getByRole('button', { name: 'Acknowledge the policy' }).click();
    // Acknowledging does not lift the training block.
    await expect(page.getByTestId('blockers')).toContainText('ALPR training expired on');
    await expect(page.getByTestId('blockers')).not.toContainText('acknowledge');
    await expect(page.getByRole('navigation', { name: 'Screens' }).getByRole('link')).toHaveCount(0);
  });

  test('the lock screen keeps the session for the same user only', async ({ page, auth, admin }) => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(auth.heading()).toHaveText('Screen locked');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByLabel('Authenticator code').fill('000000'); // a wrong password never reaches the code check
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(auth.error()).toContainText('Wrong');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByLabel('Authenticator code').fill(await admin.authenticator.code());
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(auth.heading()).toHaveText('Patrol');
  });

  test('the auditor states a purpose, reads the log, verifies the chain and exports it', async ({
    page,
    auth,
    admin: _signedIn,
  }) => {
    await addUser(page, 'auditor1', ['auditor'], today());
    await auth.signOut();
    await auth.signIn('auditor1', PASSWORD, null);
    await enrol(page);
    await page.getByLabel('I have read the policy').check();
    await page.getByRole('button', { name: 'Acknowledge the policy' }).click();
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await expect(auth.heading()).toHaveText('Audit');

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect(page.getByTestId('verify-result')).toContainText('Chain intact');

    await page.getByLabel("Case or incident number, or a suspect's last name").fill('investigation');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await expect(page.getByRole('alert')).toContainText('too vague');

    await page.getByLabel("Case or incident number, or a suspect's last name").fill('AUD26-0001');
    await page.getByLabel('Plate', { exact: true }).fill('7ABC123');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await expect(page.getByTestId('log-entries')).toBeVisible();
    await page.getByLabel('Plate', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Show entries' }).click();
    const table = page.getByTestId('log-entries');
    await expect(table).toContainText('setup.create');
    await expect(table).toContainText('users.create');
    await expect(table).toContainText('audit.entries');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('seq,time,username');
    expect(csv).toContain('auditor1');
    expect(csv).toMatch(/# chain proof: .*"ok":true/);

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as {
      chainProof: { verification: { ok: boolean }; publicKey: { crv: string } };
    };
    expect(json.chainProof.verification.ok).toBe(true);
    expect(json.chainProof.publicKey.crv).toBe('P-256');

    // Raw IndexedDB: the query terms, purposes and second-factor secrets are not in the clear.
    const raw = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('alpr-field-unit');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const parts: string[] = [];
      const walk = (v: unknown): void => {
        if (v instanceof ArrayBuffer) parts.push(new TextDecoder('latin1').decode(v));
        else if (ArrayBuffer.isView(v)) parts.push(new TextDecoder('latin1').decode(v));
        else if (typeof v === 'string' || typeof v === 'number') parts.push(String(v));
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object' && !(v instanceof CryptoKey)) Object.values(v).forEach(walk);
      };
      for (const name of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        walk(rows);
      }
      db.close();
      return parts.join('\n');
    });
    expect(raw).toContain('auditor1'); // user directory names are not ALPR data (and prove the dump works)
    expect(raw).not.toContain('7ABC123');
    expect(raw).not.toContain('AUD26-0001');
    expect(raw).not.toContain('too vague'); // the refusal's reason, logged sealed
  });

  test('a security key (WebAuthn) stands in for the code at sign-in and unlock', async ({
    page,
    auth,
    admin: _signedIn,
  }) => {
    // Chromium's DevTools virtual authenticator: a real WebAuthn ceremony with a software key.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: false,
        hasUserVerification: false,
        automaticPresenceSimulation: true,
      },
    });
    await page.getByTestId('signed-in-user').click();
    await expect(auth.heading()).toHaveText('Account');
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Security key added' })).toBeVisible();

    await auth.signOut();
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in with security key' }).click();
    await expect(auth.error()).toContainText('Wrong');
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in with security key' }).click();
    await expect(auth.heading()).toHaveText('Account');

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(auth.heading()).toHaveText('Screen locked');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Unlock with security key' }).click();
    await expect(auth.heading()).toHaveText('Account');
  });

  test('an adopted policy applies at once: everyone re-acknowledges, and the screen locks after its idle minutes', async ({
    page,
    auth,
    admin,
  }) => {
    test.setTimeout(150_000);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    const editor = page.getByLabel('Policy document (JSON)');
    const doc = JSON.parse(await editor.inputValue()) as {
      revision: number;
      signIn: { idleLockMinutes: number };
    };
    expect(doc.revision).toBe(2);
    // A document that switches off a safeguard is refused, naming the field.
    await editor.fill(
      JSON.stringify({
        ...doc,
        retention: { ...(doc as unknown as { retention: object }).retention, accessLogDays: 30 },
      }),
    );
    await page.getByRole('button', { name: 'Adopt this revision' }).click();
    await expect(page.getByRole('alert')).toContainText('retention.accessLogDays');
    await editor.fill(JSON.stringify({ ...doc, signIn: { ...doc.signIn, idleLockMinutes: 1 } }));
    await page.getByRole('button', { name: 'Adopt this revision' }).click();
    await expect(auth.heading()).toHaveText('Access blocked');
    await expect(page.getByTestId('blockers')).toContainText('revision 2');
    await page.getByLabel('I have read the policy').check();
    await page.getByRole('button', { name: 'Acknowledge the policy' }).click();
    await expect(auth.heading()).toHaveText('Admin');
    // No interaction for a minute: the worker drops the keys and the screen shows the lock.
    await expect(auth.heading()).toHaveText('Screen locked', { timeout: 100_000 });
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByLabel('Authenticator code').fill(await admin.authenticator.code());
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(auth.heading()).toHaveText('Admin');
  });

  test('the recovery code resets a lost password, and the second factor is still required', async ({
    page,
    auth,
    admin,
  }) => {
    await auth.signOut();
    await page.getByRole('button', { name: 'Lost password: use the recovery code' }).click();
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Recovery code', { exact: true }).fill('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA');
    await page.getByLabel('New password', { exact: true }).fill('a brand new pass phrase');
    await page.getByLabel('New password again').fill('a brand new pass phrase');
    await page.getByRole('button', { name: 'Reset the password' }).click();
    await expect(page.getByRole('alert')).toContainText('recovery code is wrong');
    await page.getByLabel('Recovery code', { exact: true }).fill(admin.recoveryCode);
    await page.getByRole('button', { name: 'Reset the password' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Password reset' })).toBeVisible();
    await auth.signIn(ADMIN.username, ADMIN.password, null); // the old password no longer opens the vault
    await expect(auth.error()).toContainText('Wrong');
    await auth.signIn(ADMIN.username, 'a brand new pass phrase', admin.authenticator);
    await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN.name);
  });
});
