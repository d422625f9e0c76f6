import { startServer } from '../../scripts/serve.ts';
import { BUILD_DIR, NEXT_BUILD_DIR, NEXT_BUILD_ID } from './builds';
import { expect, test } from './fixtures';

// These tests run their own server so they can stop it (no network at all) or swap the deployed build.

test('after the first load the app works with the server gone and the network off', async ({
  page,
  shell,
}) => {
  const server = await startServer({ root: BUILD_DIR, port: 0 });
  try {
    await shell.open(server.url);
    await shell.waitForServiceWorker();
    const precached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
      return { names, urls };
    });
    // Workbox names it alpr-precache-<its format>-<our cache layout>.
    expect(precached.names.some((n) => n.startsWith('alpr-precache-') && n.endsWith('-v1'))).toBe(true);
    expect(precached.urls.some((u) => u.includes('backend.worker'))).toBe(true);
  } finally {
    await server.close();
  }
  await page.context().setOffline(true);
  await page.reload();
  await shell.waitReady();
  // Debian's Chromium 150 (bookworm's archive in late 2026, after 156) gives a document reloaded under emulated
  // offline navigator.onLine === true until the emulation next changes; a real device without network says false.
  // Toggling it delivers the 'offline' event the app listens for. The server is closed, so the reload above was
  // served by the service worker either way.
  await page.context().setOffline(false);
  await page.context().setOffline(true);
  await expect(shell.heading).toHaveText('First-run setup');
  await expect(shell.connectivity).toHaveText(/Offline/);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The backend worker and its database run offline too: a setting change is saved and read back.
  await shell.setTheme('Night');
  await expect.poll(() => shell.theme()).toBe('night');
});

test('a new deployment is offered, never forced, and applied when the officer chooses', async ({
  page,
  shell,
}) => {
  const first = await startServer({ root: BUILD_DIR, port: 0 });
  const port = first.port;
  await shell.open(first.url);
  await shell.waitForServiceWorker();
  const firstBuild = await shell.buildId();
  await first.close();

  // Deploy the next build at the same origin.
  const next = await startServer({ root: NEXT_BUILD_DIR, port });
  try {
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'));
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      await reg?.update();
    });
    await expect(shell.updateBanner).toBeVisible({ timeout: 20_000 });
    // Nothing reloaded behind the officer's back.
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
    expect(await shell.buildId()).toBe(firstBuild);

    // "Later" hides the prompt but keeps a way back to it.
    await shell.updateBanner.getByRole('button', { name: 'Later' }).click();
    await expect(shell.updateBanner).toBeHidden();
    await page.getByRole('button', { name: 'Update ready' }).click();
    await expect(shell.updateBanner).toBeVisible();

    await Promise.all([
      page.waitForEvent('framenavigated'),
      shell.updateBanner.getByRole('button', { name: 'Update now' }).click(),
    ]);
    await shell.waitReady();
    await expect.poll(() => shell.buildId()).toBe(NEXT_BUILD_ID);
    await expect(shell.updateBanner).toBeHidden();
  } finally {
    await next.close();
  }
});
