import { expect, test } from './fixtures';
import { addUser, firstSignIn, signInNewOperator, TEMP_PASSWORD, today } from './pages/admin';
import { ADMIN } from './pages/auth';

import { clewFile } from '../fixtures/hotlists';

test('an administrator loads a CLEW list; a malformed file is refused whole and the list in force stays', async ({
  page,
  admin: _signedIn,
}) => {
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  await expect(page.getByText('No hot list is loaded on this unit.')).toBeVisible();

  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'svs.tbl',
    mimeType: 'text/plain',
    buffer: clewFile(['7ABC123', '8XYZ789', '1AAA111']),
  });
  await page.getByRole('button', { name: 'Load the list' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Loaded 3 entries into SVS (version 1)' }),
  ).toBeVisible();
  const table = page.getByTestId('hot-lists');
  await expect(table.getByRole('row', { name: /SVS/ })).toContainText('svs.tbl');
  await expect(table.getByRole('row', { name: /SVS/ })).toContainText('3');

  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'svs.tbl',
    mimeType: 'text/plain',
    buffer: clewFile(['2BBB222', 'BAD-PLATE'], { footer: 5 }),
  });
  await page.getByRole('button', { name: 'Load the list' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'refused' });
  await expect(refusal).toContainText('line 3');
  await expect(refusal).toContainText('The footer says 5 records');
  await expect(table.getByRole('row', { name: /SVS/ })).toContainText('3');
  await expect(page.getByTestId('stale-banner')).toHaveCount(0);
});

test('a member enters a partial plate; it stays pending until an administrator approves it; edits wait for the supervisor', async ({
  page,
  auth,
  admin,
}) => {
  const officer = await signInNewOperator(page, auth);
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  const form = page.getByRole('form', { name: 'Enter a hot plate' });
  await form.getByLabel(/^Plate/).fill('4K?L2*');
  await form.getByLabel('List').selectOption('BOLO');
  await form.getByLabel('Priority').selectOption('high');
  await form.getByLabel('Synopsis of the originating call').fill('Driver John Doe, DOB 01/02/1980, robbery');
  await form.getByLabel('Case number').fill('26-004512');
  await form.getByLabel('Vehicle description').fill('grey sedan');
  await form.getByRole('button', { name: 'Enter for approval' }).click();
  // Personal data is refused: hot lists describe vehicles, never people.
  await expect(page.getByRole('alert')).toContainText('hot lists describe vehicles, never people');
  await expect(page.getByTestId('local-entry')).toHaveCount(0);

  await form
    .getByLabel('Synopsis of the originating call')
    .fill('Armed robbery at 5th and J; suspect vehicle fled north');
  await form.getByRole('button', { name: 'Enter for approval' }).click();
  await expect(page.getByRole('status')).toContainText('4K?L2* entered on BOLO');
  const row = page.getByTestId('local-entry').filter({ hasText: '4K?L2*' });
  await expect(row.getByTestId('local-status')).toHaveText('pending');
  await expect(row).toContainText('26-004512');
  // An operator cannot approve anything.
  await expect(row.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await auth.signOut();
  await auth.signIn(ADMIN.username, ADMIN.password, admin.authenticator);
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toContainText('4K?L2* is active');
  await expect(row.getByTestId('local-status')).toContainText('active — admin');
  await expect(row.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // The officer's sergeant, on record as their supervisor.
  await addUser(page, 'sgt1', ['supervisor'], today());
  await page.getByLabel('Supervisor of officer').selectOption({ label: 'Pat Example (sgt1)' });
  await expect(page.getByRole('status')).toContainText('officer now reports to sgt1');
  await auth.signOut();

  // The officer learns more of the plate: the edit waits; the entry in force is unchanged.
  await auth.signIn('officer', TEMP_PASSWORD, officer);
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  await row.getByRole('button', { name: 'Edit' }).click();
  const editForm = page.getByRole('form', { name: 'Edit 4K?L2*' });
  await editForm.getByLabel(/^Plate/).fill('4KZL2*');
  await editForm.getByRole('button', { name: 'Send the edit for approval' }).click();
  await expect(page.getByRole('status')).toContainText('waits for');
  await expect(row.getByTestId('pending-edit')).toContainText('4KZL2*');
  await expect(row.locator('td').first()).toHaveText('4K?L2* (CA)');
  await auth.signOut();

  await firstSignIn(page, auth, 'sgt1');
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  const edited = page.getByTestId('local-entry').filter({ hasText: '26-004512' });
  await edited.getByRole('button', { name: 'Approve edit' }).click();
  await expect(page.getByRole('status')).toContainText('reads are matched against 4KZL2* from now on');
  await expect(edited.locator('td').first()).toHaveText('4KZL2* (CA)');
  await expect(edited.getByTestId('local-status')).toContainText('last approved by sgt1');
  await expect(edited.getByTestId('pending-edit')).toHaveCount(0);
});

test('a list extracted longer ago than its interval shows the stale banner, to the administrator and on patrol', async ({
  page,
  auth,
  admin: _signedIn,
}) => {
  const HOUR = 3_600_000;
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  const importForm = page.getByRole('form', { name: 'Load a list' });
  const load = async (list: string, buffer: Buffer) => {
    await importForm.getByRole('combobox', { name: /^List/ }).selectOption(list);
    await page
      .getByLabel('File', { exact: true })
      .setInputFiles({ name: 'list.tbl', mimeType: 'text/plain', buffer });
    await page.getByRole('button', { name: 'Load the list' }).click();
  };
  // SFR loaded now, but DOJ extracted it 30 hours ago: stale from the start. SVS is a current extract.
  await load('SFR', clewFile(['7ABC123'], { extractedAt: Date.now() - 30 * HOUR }));
  await expect(page.getByRole('status').filter({ hasText: 'Loaded 1 entries into SFR' })).toBeVisible();
  await load('SVS', clewFile(['8XYZ789']));
  await expect(page.getByRole('status').filter({ hasText: 'Loaded 1 entries into SVS' })).toBeVisible();
  const banner = page.getByTestId('stale-banner');
  await expect(banner).toHaveCount(1);
  await expect(banner).toHaveText(/Stale hot list: SFR is 30 h old/);
  const table = page.getByTestId('hot-lists');
  await expect(table.getByRole('row', { name: /SFR/ })).toContainText('stale (refreshed every 24 h)');
  await expect(table.getByRole('row', { name: /SVS/ })).not.toContainText('stale');

  // An older extract than the one in force is refused: the newer list stays.
  await load('SFR', clewFile(['1AAA111'], { extractedAt: Date.now() - 40 * HOUR }));
  await expect(page.getByRole('alert').filter({ hasText: 'older than the SFR list in force' })).toBeVisible();
  await expect(table.getByRole('row', { name: /SFR/ })).toContainText('1');

  // The officer on patrol is told too.
  await signInNewOperator(page, auth);
  await expect(page.getByRole('heading', { name: 'Live capture' })).toBeVisible();
  await expect(page.getByTestId('stale-banner')).toHaveCount(1);
  await expect(page.getByTestId('stale-banner')).toHaveText(/SFR is 30 h old/);
});

test('an administrator sets a URL source; the unit fetches the list from the app’s server and shows the outcome', async ({
  page,
  admin: _signedIn,
}) => {
  // The agency server publishes the extract beside the app (here answered by the test; the first answer is a 404).
  let published: Buffer | null = null;
  await page
    .context()
    .route('**/hotlists/slr.tbl', (route) =>
      published
        ? route.fulfill({ status: 200, contentType: 'text/plain', body: published })
        : route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
    );
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  const form = page.getByRole('form', { name: "Set a list's source" });
  await form.getByRole('combobox', { name: /^List/ }).selectOption('SLR');
  await form.getByRole('textbox', { name: 'URL' }).fill('https://lists.example.com/slr.tbl');
  await form.getByLabel('Refresh every (hours)').fill('6');
  await form.getByRole('button', { name: 'Save the source' }).click();
  await expect(page.getByRole('alert').filter({ hasText: "must be on this app's server" })).toBeVisible();

  await form.getByRole('textbox', { name: 'URL' }).fill('/hotlists/slr.tbl');
  await form.getByRole('button', { name: 'Save the source' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'every 6 hours' })).toBeVisible();
  const row = page.getByTestId('list-sources').getByRole('row', { name: /SLR/ });
  await expect(row).toContainText('answered 404');
  await expect(page.getByText('No hot list is loaded on this unit.')).toBeVisible();

  published = clewFile(['5SLR555', '6SLR666', '7SLR777']);
  await page.getByRole('button', { name: 'Fetch SLR now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'SLR refreshed from' })).toContainText('3 entries');
  await expect(row).toContainText('loaded');
  await expect(page.getByTestId('hot-lists').getByRole('row', { name: /SLR/ })).toContainText(
    '/hotlists/slr.tbl',
  );
  await expect(page.getByTestId('hot-lists').getByRole('row', { name: /SLR/ })).toContainText(
    'refreshed every 6 h',
  );
});
