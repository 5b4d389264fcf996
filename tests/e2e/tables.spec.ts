/**
 * The Sites & meters tables with 5,003 meters (5,000 written straight into the database, three with
 * readings imported from a file): only a window of rows is in the page; sorting, filters and the
 * search change the rows and stay in the address (a reload keeps them); shift-click takes a range;
 * "select all" takes the filtered rows; a bulk assignment to a site is confirmed with the count, shows
 * in the site column and is what the core stores; the sites table counts the meters. Timing is the
 * bench's (npm run bench:tables), not asserted here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mpanCheckDigit } from '../../src-shared/domain/meter-id';
import { dayHalfHours, dayStartUtc, localDayOf } from '../../src-shared/domain/periods';
import { AppShell } from './pages/app';
import { expect, screenshotPath, startServer, test } from './fixtures';

const ctx = { role: 'admin' as const, actor: 'e2e' };
const MANY = 5000;
/** The bulk meters: electricity, one in ten gas; every fourth tagged "school"; supplier Acme or Bolt. */
const bulkId = (i: number): string => {
  if (i % 10 === 9) return String(8_000_000_000 + i);
  const core = `17${String(1_000_000_000 + i).slice(-10)}`;
  return core + mpanCheckDigit(core);
};
/** Three meters with two days of readings to yesterday: BIG uses most, then MID, then SMALL. */
const withCheck = (core: string) => core + mpanCheckDigit(core);
const BIG = withCheck('190000000001');
const MID = withCheck('190000000002');
const SMALL = withCheck('190000000003');

function readingsCsv(): string {
  const yesterday = localDayOf(Math.floor(Date.now() / 1000)) - 1;
  const lines = ['MPAN,Timestamp,kWh'];
  for (const [meter, kwh] of [
    [BIG, 3],
    [MID, 2],
    [SMALL, 1],
  ] as const)
    for (let d = yesterday - 1; d <= yesterday; d++)
      for (let k = 0; k < dayHalfHours(d); k++)
        lines.push(`${meter},${new Date((dayStartUtc(d) + k * 1800) * 1000).toISOString()},${kwh}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tables-')), 'three.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('5,000 meters: a window of rows, sort, filter, select all filtered, and a bulk assignment to a site', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // a server of its own: the tables list every meter, and 5,000 would slow every later spec
  const server = await startServer();
  try {
    const core = server.core;
    const db = core.sqlite;
    const library = await core.handlers['sites.create']({ name: 'Bath Library', postcode: 'BA1 5AW' }, ctx);
    await core.handlers['sites.create']({ name: 'Keynsham Depot' }, ctx);
    const add = db.prepare(
      'INSERT INTO meters (identifier, kind, fuel, supplier, tags, label) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 0; i < MANY; i++) {
        const gas = i % 10 === 9;
        add.run(
          bulkId(i),
          gas ? 'mprn' : 'mpan',
          gas ? 'gas' : 'electricity',
          i % 2 ? 'Acme' : 'Bolt',
          JSON.stringify(i % 4 === 0 ? ['school'] : []),
          `Meter ${i}`,
        );
      }
    })();
    const stored = await core.files.storePath(readingsCsv());
    const { jobIds } = core.imports.enqueue([stored.fileId]);
    await core.imports.drain((id) => jobIds.includes(id));
    const total = MANY + 3;

    const shell = new AppShell(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await shell.open(server.url, '/meters');
    const rows = page.getByTestId('meter-row');
    await expect(rows.first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('table-count')).toHaveText(
      `Showing 5,003 of ${total.toLocaleString('en-GB')} meters`,
    );
    // only a window of the 5,003 rows is in the page
    expect(await rows.count()).toBeLessThan(80);
    expect(await rows.count()).toBeGreaterThan(5);
    await expect(page.getByTestId('table-period')).toContainText('against');

    // sort by this month's kWh, largest first: the three meters with readings lead, in order
    const kwhHeader = page.getByRole('columnheader', { name: /kWh this month/ });
    await kwhHeader.getByRole('button').click();
    await expect(kwhHeader).toHaveAttribute('aria-sort', 'descending');
    const firstThree = () => rows.evaluateAll((rs) => rs.slice(0, 3).map((r) => r.getAttribute('data-mpan')));
    await expect.poll(firstThree).toEqual([BIG, MID, SMALL]);
    await expect(page).toHaveURL(/#\/meters\?sort=kwh&dir=desc$/);
    await kwhHeader.getByRole('button').click();
    await expect(kwhHeader).toHaveAttribute('aria-sort', 'ascending');
    // meters without readings stay last either way: the smallest with readings leads
    await expect.poll(firstThree).toEqual([SMALL, MID, BIG]);

    // filters: gas only, then the search in the page's header; both kept in the address
    await page.getByTestId('filter-fuel').selectOption('gas');
    await expect(page.getByTestId('table-count')).toHaveText(`Showing 500 of ${total.toLocaleString('en-GB')} meters`);
    await expect(rows.first()).toContainText('Gas');
    await page.getByRole('searchbox', { name: 'Filter meters' }).fill('meter 49');
    // gas meters are the 9s: Meter 49, 499, 4909 … 4999
    await expect(page.getByTestId('table-count')).toHaveText(`Showing 12 of ${total.toLocaleString('en-GB')} meters`);
    await expect(page).toHaveURL(/fuel=gas/);
    await page.reload();
    await expect(page.getByTestId('table-count')).toHaveText(`Showing 12 of ${total.toLocaleString('en-GB')} meters`, {
      timeout: 60_000,
    });
    await expect(page.getByTestId('filter-fuel')).toHaveValue('gas');
    await expect(page.getByRole('searchbox', { name: 'Filter meters' })).toHaveValue('meter 49');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('searchbox', { name: 'Filter meters' }).fill('');
    await expect(page.getByTestId('table-count')).toHaveText(
      `Showing ${total.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} meters`,
    );

    // a shift-click takes the rows between two clicks
    const box = (i: number) => rows.nth(i).getByRole('checkbox');
    await box(1).click();
    await box(4).click({ modifiers: ['Shift'] });
    await expect(page.getByTestId('selection-count')).toHaveText('4 selected');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect(page.getByTestId('bulk-bar')).toHaveCount(0);

    // the school meters (every fourth, all Bolt's): select all of them, and only them; assign them to Bath Library
    await page.getByTestId('filter-tag').selectOption('school');
    await page.getByTestId('filter-supplier').selectOption('Bolt');
    const bolt = Array.from({ length: MANY }, (_, i) => i).filter((i) => i % 4 === 0);
    await expect(page.getByTestId('table-count')).toHaveText(
      `Showing ${bolt.length.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} meters`,
    );
    await page.getByTestId('select-all').check();
    await expect(page.getByTestId('selection-count')).toHaveText(`${bolt.length.toLocaleString('en-GB')} selected`);
    await page.getByRole('button', { name: 'Assign to site…' }).click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.getByLabel('Site', { exact: true }).selectOption(String(library.id));
    await dialog.getByTestId('bulk-next').click();
    await expect(dialog.getByTestId('bulk-question')).toHaveText(
      `Assign ${bolt.length.toLocaleString('en-GB')} meters to Bath Library?`,
    );
    await page.screenshot({ path: screenshotPath('tables-bulk-confirm') });
    await dialog.getByTestId('bulk-confirm').click();
    await expect(dialog).not.toBeVisible();
    // the site column says so, and the core stored exactly those meters on the site
    await expect(rows.first().getByRole('gridcell').nth(3)).toHaveText('Bath Library');
    const onSite = db
      .prepare('SELECT identifier FROM meters WHERE site_id = ? ORDER BY identifier')
      .pluck()
      .all(library.id) as string[];
    expect(onSite).toEqual(bolt.map(bulkId).sort());
    // read again from the server (the change's event), still filtered and showing the site
    await page.getByTestId('filter-site').selectOption(String(library.id));
    await expect(page.getByTestId('table-count')).toHaveText(
      `Showing ${bolt.length.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} meters`,
    );
    await page.screenshot({ path: screenshotPath('tables-meters') });

    // a site gone before the edit is confirmed: refused in words, nothing changed
    const depot = await core.handlers['sites.create']({ name: 'Radstock Depot' }, ctx);
    await page.getByRole('button', { name: 'Assign to site…' }).click();
    await dialog.getByLabel('Site', { exact: true }).selectOption(String(depot.id));
    await dialog.getByTestId('bulk-next').click();
    db.prepare('DELETE FROM sites WHERE id = ?').run(depot.id);
    await dialog.getByTestId('bulk-confirm').click();
    await expect(page.getByTestId('bulk-error')).toHaveText(new RegExp(`^No site ${depot.id}: nothing was changed`));
    expect(db.prepare('SELECT count(*) FROM meters WHERE site_id = ?').pluck().get(library.id)).toBe(bolt.length);
    await page.getByTestId('bulk-error').getByRole('button', { name: 'Dismiss' }).click();

    // the sites table counts them
    await page.getByTestId('table-view').getByRole('radio', { name: 'Sites' }).click();
    const siteRow = page.locator(`[data-testid="site-row"][data-site-id="${library.id}"]`);
    await expect(siteRow).toContainText('Bath Library');
    await expect(siteRow.getByRole('gridcell').nth(2)).toHaveText(bolt.length.toLocaleString('en-GB'));
    await expect(page).toHaveURL(/view=sites/);
    await page.screenshot({ path: screenshotPath('tables-sites') });
  } finally {
    await server.close();
  }
});

test('tags added in bulk show on the meter page, with its serial', async ({ page }) => {
  // a server of its own: readings to yesterday would move the shared server's "latest" views
  const server = await startServer();
  try {
    const core = server.core;
    const stored = await core.files.storePath(readingsCsv());
    const { jobIds } = core.imports.enqueue([stored.fileId]);
    await core.imports.drain((id) => jobIds.includes(id));
    await core.handlers['meters.bulkUpdate']({ meters: [BIG, MID], addTags: ['leased', 'school'] }, ctx);
    await core.handlers['meters.update']({ meter: BIG, serial: '19L2761452' }, ctx);
    await page.goto(`${server.url}#/meters/${BIG}`);
    await expect(page.getByTestId('meter-tags')).toHaveText('leasedschool');
    await expect(page.getByText('Serial: 19L2761452')).toBeVisible();
    await page.goto(`${server.url}#/meters/${SMALL}`);
    await expect(page.getByTestId('point-count')).toBeVisible();
    await expect(page.getByTestId('meter-tags')).toHaveCount(0);
  } finally {
    await server.close();
  }
});
