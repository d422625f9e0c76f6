import { startServer, type RunningServer } from '../../scripts/serve.ts';
import { HARNESS_DIR } from './builds';
import { expect, test } from './fixtures';

// Encryption at rest in the real browser: real IndexedDB, real WebCrypto, raw bytes read back with the plain
// IndexedDB API (what anyone with the tablet's disk or profile would get).
let harness: RunningServer;
test.beforeAll(async () => {
  harness = await startServer({ root: HARNESS_DIR, port: 0 });
});
test.afterAll(() => harness.close());

test('reads stored with nobody signed in leave no plate text or image bytes in IndexedDB', async ({
  page,
}) => {
  await page.goto(harness.url);
  const plates = ['8XYZ789', '4PLT202', '7ABC123'];
  const result = await page.evaluate(
    ([p, marker]) => window.harness.unattendedReads(p as string[], marker as string),
    [plates, 'IMGMARK-9f3a'] as const,
  );
  expect(result.dumpBytes).toBeGreaterThan(90_000); // three 30 KB overviews are in there, sealed
  expect(result.dump).toContain('capture-session'); // plain metadata is visible to the dump
  for (const secret of [...plates, 'IMGMARK-9f3a', '38.5816', 'Kiosk Main St']) {
    expect(result.dump, secret).not.toContain(secret);
  }
  expect(result.opened).toEqual(plates);
});
