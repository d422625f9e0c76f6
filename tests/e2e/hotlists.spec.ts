import { expect, test } from './fixtures';
import { signInNewOperator } from './pages/admin';
import { ADMIN } from './pages/auth';

const clew = (plates: string[], footer = plates.length) =>
  Buffer.from(
    [
      'DATE11/20/2026 06:00',
      ...plates.map((p) => `${p.padEnd(8)}CA0120261101`),
      `TOTAL RECORD ${String(footer).padStart(7, '0')}`,
    ].join('\r\n') + '\r\n',
  );

test('an administrator loads a CLEW list; a malformed file is refused whole and the list in force stays', async ({
  page,
  admin: _signedIn,
}) => {
  await page.getByRole('link', { name: 'Hot lists', exact: true }).click();
  await expect(page.getByText('No hot list is loaded on this unit.')).toBeVisible();

  await page.getByLabel('File').setInputFiles({
    name: 'svs.tbl',
    mimeType: 'text/plain',
    buffer: clew(['7ABC123', '8XYZ789', '1AAA111']),
  });
  await page.getByRole('button', { name: 'Load the list' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Loaded 3 entries into SVS (version 1)' }),
  ).toBeVisible();
  const table = page.getByTestId('hot-lists');
  await expect(table.getByRole('row', { name: /SVS/ })).toContainText('svs.tbl');
  await expect(table.getByRole('row', { name: /SVS/ })).toContainText('3');

  await page
    .getByLabel('File')
    .setInputFiles({ name: 'svs.tbl', mimeType: 'text/plain', buffer: clew(['2BBB222', 'BAD-PLATE'], 5) });
  await page.getByRole('button', { name: 'Load the list' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'refused' });
  await expect(refusal).toContainText('line 3');
  await expect(refusal).toContainText('The footer says 5 records');
  await expect(table.getByRole('row', { name: /SVS/ })).toContainText('3');
  await expect(page.getByTestId('stale-banner')).toHaveCount(0);
});

test('a member enters a partial plate; it stays pending until another administrator approves it', async ({
  page,
  auth,
  admin,
}) => {
  await signInNewOperator(page, auth);
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
});
