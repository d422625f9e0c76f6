import { expect, test } from './fixtures';

test.describe('the application shell', () => {
  test('loads, is cross-origin isolated and served with the strict security headers', async ({
    page,
    shell,
  }) => {
    const response = await page.goto('/');
    await shell.waitReady();
    const headers = response!.headers();
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page).toHaveTitle('ALPR Field Unit');
  });

  test('navigates to every screen, each saying plainly what is not built yet or not open to the role', async ({
    page,
    shell,
    admin,
  }) => {
    expect(admin.recoveryCode).toMatch(/^([A-Z2-7]{5}-){4}[A-Z2-7]{5}$/);
    await expect(shell.heading).toHaveText('Patrol');
    for (const [label, says] of [
      ['Hits', 'Hits are open to operators'],
      ['Search', 'Not built yet'],
      ['Patrol', 'Live capture and reading photos are for operators'],
    ]) {
      await shell.goTo(label!);
      await expect(page.locator('main')).toContainText(says!);
      await expect(shell.nav.getByRole('link', { name: label!, exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
    }
    // Routes survive a reload and carry nothing but the screen name.
    await shell.goTo('Audit');
    expect(new URL(page.url()).hash).toBe('#/audit');
    // A reload keeps the route but not the session: the keys lived only in the worker.
    await page.reload();
    await shell.waitReady();
    await expect(shell.heading).toHaveText('Sign in');
  });

  test('the status bar shows connectivity, storage, persistence and the version from the backend', async ({
    page,
    shell,
  }) => {
    await shell.open();
    await expect(shell.connectivity).toHaveText(/Online/);
    await expect(shell.storage).toHaveText(/Storage .* used|Storage use unknown/);
    await expect(shell.persistence).toHaveText(/Persistent storage|Storage not persistent/);
    await expect(shell.version).toHaveText('v0.1.0');
    await page.context().setOffline(true);
    await expect(shell.connectivity).toHaveText(/Offline/);
    await page.context().setOffline(false);
    await expect(shell.connectivity).toHaveText(/Online/);
  });

  test('first-run setup shows the policy in force, rendered from the policy document', async ({
    shell,
    page,
  }) => {
    await shell.open('/#/admin');
    await expect(shell.heading).toHaveText('First-run setup'); // no screen shows anything else before setup
    const policy = page.getByRole('region', { name: 'Policy in force' });
    await expect(policy).toContainText('Policy revision 1');
    await expect(policy).toContainText('locks after 5 failed attempts');
    await expect(policy).toContainText('never for immigration enforcement');
  });

  test('day and night themes switch, and the choice is kept by the backend across reloads', async ({
    page,
    shell,
  }) => {
    await shell.open();
    await shell.setTheme('Night');
    await expect.poll(() => shell.theme()).toBe('night');
    const nightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    await shell.waitReady();
    await expect.poll(() => shell.theme()).toBe('night');
    await shell.setTheme('Day');
    await expect.poll(() => shell.theme()).toBe('day');
    const dayBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dayBg).not.toBe(nightBg);
  });

  for (const size of [
    { width: 1280, height: 800, name: 'tablet' },
    { width: 1920, height: 1080, name: 'kiosk' },
  ]) {
    test(`fits a ${size.name} screen (${size.width}×${size.height}) with large touch targets`, async ({
      page,
      shell,
      admin,
    }) => {
      expect(admin).toBeTruthy();
      await page.setViewportSize({ width: size.width, height: size.height });
      await shell.goTo('Hits');
      expect(await shell.nav.getByRole('link').count()).toBe(6);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      for (const link of await shell.nav.getByRole('link').all()) {
        const box = (await link.boundingBox())!;
        expect(box.height).toBeGreaterThanOrEqual(48);
        expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      }
      const footer = (await page.getByRole('contentinfo').boundingBox())!;
      expect(footer.y + footer.height).toBeLessThanOrEqual(size.height + 1);
    });
  }

  test('ships an installable manifest with the icons the project generates', async ({ page, shell }) => {
    await shell.open();
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await page.request.get(href!)).json()) as {
      name: string;
      display: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const res = await page.request.get(icon.src);
      expect(res.status(), icon.src).toBe(200);
      if (icon.src.endsWith('.png')) {
        const bytes = await res.body();
        expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
        const [w, h] = icon.sizes.split('x').map(Number);
        expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([w, h]);
      }
    }
  });
});
