// Page model for the Admin screen's user administration.
import { expect, type Page } from '@playwright/test';
import { enrol, type Authenticator, type AuthPage } from './auth';

export class UsersPage {
  constructor(readonly page: Page) {}

  row(username: string) {
    return this.page.getByTestId(`user-${username}`);
  }

  async create(user: {
    username: string;
    name: string;
    jobTitle: string;
    roles: string[];
    password: string;
  }) {
    const p = this.page;
    await p.getByLabel('Username').fill(user.username);
    await p.getByRole('textbox', { name: 'Full name' }).fill(user.name);
    await p.getByRole('textbox', { name: 'Job title' }).fill(user.jobTitle);
    for (const role of user.roles) await p.getByRole('checkbox', { name: role, exact: true }).check();
    await p.getByLabel('Temporary password').fill(user.password);
    await p.getByRole('button', { name: 'Create user' }).click();
    await expect(this.row(user.username)).toBeVisible();
  }

  async recordTraining(username: string, course: string, date: string) {
    await this.page.getByLabel(`Training course for ${username}`).fill(course);
    await this.page.getByLabel(`Training date for ${username}`).fill(date);
    await this.row(username).getByRole('button', { name: 'Record training' }).click();
    await expect(
      this.page.getByRole('status').filter({ hasText: `Training recorded for ${username}` }),
    ).toBeVisible();
  }
}

/** The temporary password addUser gives new users. */
export const TEMP_PASSWORD = 'a long temporary pass 1';
export const today = () => new Date().toISOString().slice(0, 10);

/** As the signed-in administrator: create a user and record their training. */
export async function addUser(page: Page, username: string, roles: string[], trainedOn: string) {
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  const users = new UsersPage(page);
  await users.create({ username, name: 'Pat Example', jobTitle: 'Deputy', roles, password: TEMP_PASSWORD });
  await users.recordTraining(username, 'ALPR basics', trainedOn);
}

/**
 * As the signed-in administrator: create a trained operator, sign out, and sign the operator in for the first time
 * (second-factor enrolment, policy acknowledgement), ending on the Patrol screen.
 */
export async function signInNewOperator(
  page: Page,
  auth: AuthPage,
  username = 'officer',
  roles: string[] = ['operator'],
): Promise<Authenticator> {
  await addUser(page, username, roles, today());
  await auth.signOut();
  return firstSignIn(page, auth, username);
}

/**
 * A user an administrator created signs in for the first time (second-factor enrolment, policy acknowledgement),
 * ending on the Patrol screen. Returns their authenticator app.
 */
export async function firstSignIn(page: Page, auth: AuthPage, username: string): Promise<Authenticator> {
  await auth.signIn(username, TEMP_PASSWORD, null);
  const app = await enrol(page);
  await page.getByLabel('I have read the policy').check();
  await page.getByRole('button', { name: 'Acknowledge the policy' }).click();
  await page.getByRole('link', { name: 'Patrol', exact: true }).click();
  await expect(auth.heading()).toHaveText('Patrol');
  return app;
}
