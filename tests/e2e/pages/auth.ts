// Page model for first-run setup, sign-in, the lock screen and second-factor enrolment. Computes TOTP codes the
// way an authenticator app does, from the secret the page shows.
import { expect, type Page } from '@playwright/test';
import { base32Decode, totp, totpStep } from '../../../src/core/security/totp.ts';

export const ADMIN = {
  agencyName: 'Example County Sheriff',
  ori: 'CA0340000',
  username: 'admin',
  name: 'Alex Admin',
  password: 'correct horse battery staple',
};

/** An authenticator app: never hands out the same step twice (the server refuses reused codes). */
export class Authenticator {
  private lastStep = -1;
  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    const step = Math.max(totpStep(Date.now()), this.lastStep + 1);
    // The server accepts one step of drift; beyond that, wait for the clock.
    while (step > totpStep(Date.now()) + 1) await new Promise((r) => setTimeout(r, 1000));
    this.lastStep = step;
    return totp(base32Decode(this.secret), step * 30_000);
  }
}

export class AuthPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.locator('#screen-title');
  }

  /** Complete first-run setup; returns the administrator's authenticator and the recovery code. */
  async setup(): Promise<{ authenticator: Authenticator; recoveryCode: string }> {
    const p = this.page;
    await expect(this.heading()).toHaveText('First-run setup');
    await p.getByLabel('Agency name').fill(ADMIN.agencyName);
    await p.getByLabel('ORI').fill(ADMIN.ori);
    await p.getByLabel('Username').fill(ADMIN.username);
    await p.getByLabel('Full name').fill(ADMIN.name);
    await p.locator('input[name="password"]').fill(ADMIN.password);
    await p.getByLabel('Password again').fill(ADMIN.password);
    await p.getByLabel('Course').fill('ALPR operator and SB 34 policy');
    await p.getByLabel('Completed on').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await p.getByLabel('I have read the policy').check();
    await p.getByRole('button', { name: 'Set up the authenticator app' }).click();
    await expect(p.getByRole('img', { name: 'QR code for the authenticator app' })).toBeVisible();
    const authenticator = new Authenticator((await p.getByTestId('totp-secret').textContent())!.trim());
    await p.getByLabel('6-digit code from the app').fill(await authenticator.code());
    await p.getByRole('button', { name: 'Create the agency and administrator' }).click();
    const recovery = p.getByTestId('recovery-code');
    await expect(recovery).toBeVisible({ timeout: 20_000 });
    const recoveryCode = (await recovery.textContent())!.trim();
    await p.getByRole('button', { name: /I have stored the recovery code/ }).click();
    await expect(this.heading()).toHaveText('Sign in');
    return { authenticator, recoveryCode };
  }

  async signIn(username: string, password: string, authenticator: Authenticator | null): Promise<void> {
    const p = this.page;
    await expect(this.heading()).toHaveText('Sign in');
    await p.getByLabel('Username').fill(username);
    await p.getByLabel('Password').fill(password);
    await p.getByLabel('Authenticator code').fill(authenticator ? await authenticator.code() : '');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect(this.heading()).toHaveText('Sign in');
  }

  error() {
    return this.page.getByRole('alert');
  }
}

/** First sign-in of a new user: enrol the authenticator app. Returns it. */
export async function enrol(page: Page): Promise<Authenticator> {
  await expect(page.locator('#screen-title')).toHaveText('Second factor');
  await page.getByRole('button', { name: 'Set up the authenticator app' }).click();
  const app = new Authenticator((await page.getByTestId('totp-secret').textContent())!.trim());
  await page.getByLabel('6-digit code from the app').fill(await app.code());
  await page.getByRole('button', { name: 'Confirm' }).click();
  return app;
}
