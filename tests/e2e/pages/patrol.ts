// Page model for a patrol shift with hits: loading a list of plates, setting up the camera, driving through the
// fixture video while alerts come up. Used by the capture tests and the alert-latency benchmark.
import { expect, type Locator, type Page, type Worker } from '@playwright/test';
import { clewFile } from '../../fixtures/hotlists';
import { VIDEO_SECONDS } from '../../fixtures/plates';

/** As the administrator: load a CLEW stolen-vehicle list holding these plates. */
export async function loadHotList(page: Page, plates: string[]): Promise<void> {
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  await page
    .getByLabel('File', { exact: true })
    .setInputFiles({ name: 'svs.tbl', mimeType: 'text/plain', buffer: clewFile(plates) });
  await page.getByRole('button', { name: 'Load the list' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Loaded ${plates.length} entries into SVS` }),
  ).toBeVisible();
}

/**
 * On the reads strip: open a stored read's details, stating a purpose (a category's label and a case number or last
 * name) at the purpose gate. Returns the details panel, which shows the read or the refusal.
 */
export async function openStoredRead(
  page: Page,
  read: Locator,
  purpose: { category: string; reference: string },
): Promise<Locator> {
  const panel = page.getByTestId('read-details');
  if (!(await panel.isVisible())) await read.getByRole('button', { name: /^Details of / }).click();
  await panel.getByLabel('Category').selectOption({ label: purpose.category });
  await panel.getByLabel("Case or incident number, or a suspect's last name").fill(purpose.reference);
  await panel.getByRole('button', { name: 'Open the read' }).click();
  return panel;
}

/** As a member: enter a local hot plate (BOLO) for approval, then go back to the Patrol screen. */
export async function enterLocalEntry(page: Page, plate: string): Promise<void> {
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  const form = page.getByRole('form', { name: 'Enter a hot plate' });
  await form.getByLabel(/^Plate/).fill(plate);
  await form
    .getByLabel('Synopsis of the originating call')
    .fill('Vehicle seen leaving a burglary on K Street');
  await form.getByLabel('Case number').fill('26-004600');
  await form.getByRole('button', { name: 'Enter for approval' }).click();
  await expect(page.getByRole('status')).toContainText(`${plate} entered on BOLO`);
  await page.getByRole('link', { name: 'Patrol', exact: true }).click();
}

/**
 * On the Patrol screen: use the first camera as the unit's front camera (remembered for the unit), optionally with
 * a dedupe window (the same plate within it is one vehicle pass).
 */
export async function useFrontCamera(page: Page, options: { dedupeS?: number } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Find cameras' }).click();
  await page.getByLabel('Use this camera').first().check();
  if (options.dedupeS !== undefined) {
    await page.getByLabel('Same plate within (seconds) is one pass').fill(String(options.dedupeS));
  }
  await page.getByRole('button', { name: 'Save cameras' }).click();
  await expect(page.getByTestId('saved-cameras')).toContainText('Front (front');
}

/**
 * Capture for one loop of the fixture video and the time for its last pass to end. Alerts come up over the
 * screen as plates are read: each must say it is not verified; "Later" keeps it open in Hits. The car drives on,
 * so the receiver keeps reporting fresh fixes (Chromium's emulated position keeps the timestamp it was set with:
 * standing still for the whole video it would age past the 15-s limit). Returns the plates of the alerts seen.
 */
export async function driveThroughVideo(page: Page, loops = 1): Promise<string[]> {
  const seen: string[] = [];
  const until = Date.now() + (VIDEO_SECONDS * loops + 6) * 1000;
  let metres = 0;
  while (Date.now() < until) {
    metres += 5;
    await page
      .context()
      .setGeolocation({ latitude: 38.5816 + metres / 111_000, longitude: -121.4944, accuracy: 8 });
    seen.push(...(await takeAlerts(page)));
    await page.waitForTimeout(500);
  }
  seen.push(...(await takeAlerts(page)));
  return seen;
}

/** Puts off every alert on screen ("Later"), checking each says it is not verified; returns their plates. */
export async function takeAlerts(page: Page): Promise<string[]> {
  const alert = page.getByTestId('hit-alert');
  const seen: string[] = [];
  while (await alert.isVisible()) {
    await expect(page.getByTestId('hit-warning')).toContainText(
      'No enforcement action may rest on this alert',
    );
    seen.push((await page.getByTestId('hit-read-plate').textContent())!);
    await alert.getByRole('button', { name: /Later/ }).click();
  }
  return seen;
}

/** The alert latencies the app measured (ms from the end of a vehicle pass to the alert's first frame). */
export function alertLatencies(page: Page): Promise<number[]> {
  return page.evaluate(() => performance.getEntriesByName('alpr:alert-latency').map((m) => m.duration));
}

/** The backend worker (the store and IndexedDB live there). */
async function backendWorker(page: Page): Promise<Worker> {
  const find = () => page.workers().find((w) => /backend\.worker/.test(w.url()));
  await expect.poll(() => find() !== undefined).toBe(true);
  return find()!;
}

/**
 * Simulates a filling disk inside the backend worker, with the real IndexedDB underneath: the browser's storage
 * estimate reports `usedShare` of the quota, and while `failWrites` is set every IndexedDB write throws the
 * QuotaExceededError a full disk gives. (Chromium's own quota override does not reach `estimate()` in headless
 * mode, see the README.) Call again to change or end the condition.
 */
export async function simulateStorage(
  page: Page,
  condition: { usedShare: number | null; failWrites: boolean },
): Promise<void> {
  const worker = await backendWorker(page);
  await worker.evaluate((c) => {
    const g = self as unknown as { __storageSim?: typeof c };
    if (!g.__storageSim) {
      const estimate = StorageManager.prototype.estimate;
      StorageManager.prototype.estimate = async function (this: StorageManager) {
        const real = await estimate.call(this);
        const share = g.__storageSim!.usedShare;
        return share === null ? real : { ...real, usage: Math.round(share * 1e9), quota: 1e9 };
      };
      for (const method of ['put', 'add'] as const) {
        const original = IDBObjectStore.prototype[method] as (...a: unknown[]) => IDBRequest;
        IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: unknown[]) {
          if (g.__storageSim!.failWrites) {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          }
          return original.apply(this, args);
        } as IDBObjectStore['put'];
      }
    }
    g.__storageSim = c;
  }, condition);
}
