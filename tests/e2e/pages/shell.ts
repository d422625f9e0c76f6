// Page model for the application shell: navigation, status bar, update prompt.
import { expect, type Locator, type Page } from '@playwright/test';

export class ShellPage {
  readonly nav: Locator;
  readonly heading: Locator;
  readonly placeholder: Locator;
  readonly connectivity: Locator;
  readonly storage: Locator;
  readonly persistence: Locator;
  readonly version: Locator;
  readonly updateBanner: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Screens' });
    this.heading = page.locator('#screen-title');
    this.placeholder = page.getByTestId('placeholder');
    this.connectivity = page.getByTestId('connectivity');
    this.storage = page.getByTestId('storage');
    this.persistence = page.getByTestId('persistence');
    this.version = page.getByTestId('version');
    this.updateBanner = page.getByRole('status').filter({ hasText: 'new version' });
  }

  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await this.waitReady();
  }

  /** The shell is drawn and the backend worker has answered (the version comes from it). */
  async waitReady(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.version).toHaveAttribute('data-build', /.+/);
  }

  async goTo(label: string): Promise<void> {
    await this.nav.getByRole('link', { name: label, exact: true }).click();
    await expect(this.heading).toHaveText(label);
  }

  async setTheme(label: 'Day' | 'Night' | 'Auto'): Promise<void> {
    await this.page.getByRole('radio', { name: label }).click();
  }

  theme(): Promise<string | undefined> {
    return this.page.evaluate(() => document.documentElement.dataset['theme']);
  }

  /** Wait until a service worker is active and controls this page. */
  async waitForServiceWorker(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
      }
    });
  }

  buildId(): Promise<string | null> {
    return this.version.getAttribute('data-build');
  }
}
