// Test fixtures: a production server per test file, and a guard that fails any test whose page logged an error.
import { test as base, expect } from '@playwright/test';
import { startServer, type RunningServer } from '../../scripts/serve.ts';
import { BUILD_DIR } from './builds';
import { ADMIN, AuthPage, type Authenticator } from './pages/auth';
import { ShellPage } from './pages/shell';

interface TestFixtures {
  consoleErrors: string[];
  shell: ShellPage;
  auth: AuthPage;
  /** A set-up unit with the administrator signed in; gives their authenticator and the recovery code. */
  admin: { authenticator: Authenticator; recoveryCode: string };
}
interface WorkerFixtures {
  server: RunningServer;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form for fixtures.
    async ({}, use) => {
      const server = await startServer({ root: BUILD_DIR, port: 0 });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
  shell: async ({ page }, use) => {
    await use(new ShellPage(page));
  },
  auth: async ({ page }, use) => {
    await use(new AuthPage(page));
  },
  admin: async ({ shell, auth }, use) => {
    await shell.open();
    const made = await auth.setup();
    await auth.signIn(ADMIN.username, ADMIN.password, made.authenticator);
    await shell.waitReady();
    await expect(shell.heading).toHaveText('Patrol');
    await use(made);
  },
});

export { expect };
