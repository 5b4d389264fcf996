/**
 * Registers on Sites & meters: a register with problems is listed by line, column and message and
 * cannot be confirmed; the good one is previewed (counts and each change), cancelled (nothing
 * written), then confirmed; a site a meter file named is then offered, renamed and created. Names
 * start "E2E Reg" because the per-worker server is shared with other specs.
 */
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const A = '1200050000009';
const B = '1200050000106';
const C = '1200050000203';

const BAD = `Site name,Post code,MPAN,Fuel\nE2E Reg Guildhall,BA1 5AW,1200050000008,electricity\nE2E Reg Pump Room,BA1 1L,${B},water\n`;
const GOOD =
  'Site name,Address line 1,Post code,Floor area (m2),MPAN,Fuel,Meter name,kVA\n' +
  `E2E Reg Guildhall,High Street,ba1 5aw,4200,${A},electricity,Main incomer,250\n` +
  `E2E Reg Pump Room,Stall Street,BA1 1LZ,,${B},elec,Pump Room,\n` +
  `,,,,${C},electricity,Car park lighting,\n`;

const file = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('import a register through its preview, then accept a site found in a meter file', async ({ page, server }) => {
  const sites = () =>
    server.core.sqlite.prepare("SELECT name, postcode FROM sites WHERE name LIKE 'E2E Reg%' ORDER BY name").all();
  const siteOf = (mpan: string) =>
    server.core.sqlite
      .prepare('SELECT s.name FROM meters m LEFT JOIN sites s ON s.id = m.site_id WHERE m.identifier = ?')
      .pluck()
      .get(mpan);

  const app = new AppShell(page);
  await app.open(server.url, '/meters');
  await page.getByTestId('register-import').click();
  const dialog = page.getByTestId('register-dialog');
  await expect(dialog).toBeVisible();

  // problems: by line and column, and no way to confirm
  await page.getByTestId('register-file').setInputFiles(file('bad.csv', BAD));
  const problems = dialog.getByTestId('register-errors').locator('tbody tr');
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toContainText('2');
  await expect(problems.nth(0)).toContainText('MPAN');
  await expect(problems.nth(0)).toContainText(
    'MPAN 1200050000008 fails its check digit (expected 9 as the last digit)',
  );
  await expect(problems.nth(1)).toContainText('Post code');
  await expect(problems.nth(1)).toContainText('"BA1 1L" is not a UK postcode');
  await expect(problems.nth(2)).toContainText('"water" is not a fuel: expected electricity or gas');
  await expect(dialog.getByTestId('register-confirm')).toHaveCount(0);

  // the good file: counts and every change, then Cancel writes nothing
  await page.getByTestId('register-file').setInputFiles(file('register.csv', GOOD));
  const preview = dialog.getByTestId('register-preview');
  await expect(preview).toContainText('register.csv · 2 sites to create · 3 meters to create');
  const changes = dialog.getByTestId('register-change');
  await expect(changes).toHaveCount(5);
  await expect(changes.nth(0)).toContainText('E2E Reg Guildhall');
  await expect(changes.nth(0)).toContainText('postcode BA1 5AW');
  await expect(changes.nth(0)).toContainText('floor area (m²) 4200');
  await expect(changes.nth(1)).toContainText(A);
  await expect(changes.nth(1)).toContainText('capacity (kVA) 250');
  await page.screenshot({ path: screenshotPath('registers-preview') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(sites()).toEqual([]);

  // again, confirmed
  await page.getByTestId('register-import').click();
  await page.getByTestId('register-file').setInputFiles(file('register.csv', GOOD));
  await expect(dialog.getByTestId('register-change')).toHaveCount(5);
  await dialog.getByTestId('register-confirm').click();
  await expect(page.getByText('Register imported')).toBeVisible();
  await expect(dialog).toBeHidden();
  expect(sites()).toEqual([
    { name: 'E2E Reg Guildhall', postcode: 'BA1 5AW' },
    { name: 'E2E Reg Pump Room', postcode: 'BA1 1LZ' },
  ]);
  expect([siteOf(A), siteOf(B), siteOf(C)]).toEqual(['E2E Reg Guildhall', 'E2E Reg Pump Room', null]);

  // a meter file named C's site (as the importer records it): offered, renamed, created
  server.core.sqlite
    .prepare(
      "INSERT INTO file_sites (meter_id, name, address, postcode, seen_at) SELECT id, 'Bathford C of E Primary School', 'Church Street', 'BA1 7UB', unixepoch() FROM meters WHERE identifier = ?",
    )
    .run(C);
  await page.reload();
  const card = page.getByTestId('site-suggestions');
  const offer = card.getByTestId('site-suggestion').filter({ hasText: C });
  await expect(offer).toBeVisible();
  await expect(offer.getByRole('textbox', { name: /Postcode for/ })).toHaveValue('BA1 7UB');
  await offer.getByRole('textbox', { name: /Site name for/ }).fill('E2E Reg Bathford Primary');
  // only this one: others (from other specs' files) stay as they are
  const all = card.getByTestId('site-suggestion');
  for (let i = 0; i < (await all.count()); i++) {
    const box = all.nth(i).getByRole('checkbox');
    if (!(await all.nth(i).textContent())?.includes(C)) await box.uncheck();
  }
  await card.getByTestId('suggestions-create').click();
  await expect(page.getByText('1 site created')).toBeVisible();
  expect(siteOf(C)).toBe('E2E Reg Bathford Primary');
  await expect(card.getByTestId('site-suggestion').filter({ hasText: C })).toHaveCount(0);
});
