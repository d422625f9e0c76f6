import { expect, test } from './fixtures';

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
