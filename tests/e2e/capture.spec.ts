import { VIDEO_PASSES } from '../fixtures/plates';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../browser';
import { FIXTURE_CAMERA } from './builds';
import { expect, test } from './fixtures';
import { addUser, TEMP_PASSWORD, today } from './pages/admin';
import { enrol, type AuthPage } from './pages/auth';
import type { Page } from '@playwright/test';

// Chromium's fake camera plays the project's fixture video (4 vehicle passes in 16 s, one at night) in a loop.
test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${FIXTURE_CAMERA}`,
    ],
  },
  permissions: ['camera', 'geolocation'],
  geolocation: { latitude: 38.5816, longitude: -121.4944, accuracy: 8 },
});

async function signInOperator(page: Page, auth: AuthPage) {
  await addUser(page, 'officer', ['operator'], today());
  await auth.signOut();
  await auth.signIn('officer', TEMP_PASSWORD, null);
  await enrol(page);
  await page.getByLabel('I have read the policy').check();
  await page.getByRole('button', { name: 'Acknowledge the policy' }).click();
  await page.getByRole('link', { name: 'Patrol', exact: true }).click();
  await expect(auth.heading()).toHaveText('Patrol');
}

test.describe('live capture', () => {
  test('the fixture video becomes one read per vehicle pass, with crops and GPS, stored', async ({
    page,
    auth,
    admin: _signedIn,
  }) => {
    test.setTimeout(150_000);
    await signInOperator(page, auth);
    // Set up the camera once: it is remembered for this unit.
    await page.getByRole('button', { name: 'Find cameras' }).click();
    await page.getByLabel('Use this camera').first().check();
    await page.getByRole('button', { name: 'Save cameras' }).click();
    await expect(page.getByTestId('saved-cameras')).toContainText('Front (front');

    await page.getByRole('button', { name: 'Start capture' }).click();
    await expect(page.getByTestId('live-view')).toContainText('640×360');
    const expected = VIDEO_PASSES.map((p) => p.text).sort();
    const plates = page.getByTestId('live-read-plate');
    // One loop of the video (16 s) and the time for the last pass to end.
    await expect
      .poll(async () => (await plates.allTextContents()).sort(), { timeout: 60_000, intervals: [1000] })
      .toEqual(expected);
    await page.getByRole('button', { name: 'Stop capture' }).click();
    await expect(page.getByRole('button', { name: 'Start capture' })).toBeVisible({ timeout: 20_000 });
    // Exactly one read per pass (the video loops, and its second round falls in the dedupe window).
    expect((await plates.allTextContents()).sort()).toEqual(expected);
    await expect(page.getByTestId('reads-count')).toHaveText(String(expected.length));
    await expect(page.getByTestId('pending-writes')).toHaveText('0');
    // Every read has its crop and a GPS fix, and none is waiting to be stored.
    await expect(page.getByTestId('live-read').locator('canvas')).toHaveCount(expected.length);
    await expect(page.getByTestId('reads-strip')).not.toContainText('no GPS fix');
    await expect(page.getByTestId('reads-strip')).not.toContainText('not stored yet');
  });
});
