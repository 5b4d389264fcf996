// npm run bench:tables — the portfolio tables on 1,000 and 5,000 meters with a year of half-hours
// each (written straight through the readings store: seconds, not an import of 175 million rows):
// meters.table (first call, which prices every meter, and again), sites.table and meters.bulkUpdate
// on every meter; then, on the 5,000, the Sites & meters page in Chromium (playwright-core) against
// the headless server (`node dist/cli.cjs serve`): sort, filter, search, select all, bulk assign to
// a site, scroll, each timed in the page from the click to the frame that shows it.
// Needs `npm run build` first (the server serves dist/). Usage: node scripts/bench/tables.mjs [--keep]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundle, fmtMs, machineLine, MIGRATIONS, REPO, scratchDir, table, verdict } from './portfolio.mjs';

/** The issue's target for an interaction in the page. */
const TARGET_MS = 200;
const SIZES = [1000, 5000];
const DAYS = 365;

const { values: o } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });
const cli = path.join(REPO, 'dist', 'cli.cjs');
if (!fs.existsSync(cli) || !fs.existsSync(path.join(REPO, 'dist', 'renderer', 'index.html')))
  throw new Error('dist/ is missing: run "npm run build" first');
const outDir = await bundle({ 'tables-harness': path.join(REPO, 'scripts/bench/tables-harness.ts') });
const h = await import(path.join(outDir, 'tables-harness.cjs'));
console.log(await machineLine());

const core = [];
let served = null;
for (const n of SIZES) {
  const dir = scratchDir(`eclectyc-bench-tables-${n}-`, o.keep);
  const built = await h.build(dir, MIGRATIONS, n, DAYS);
  console.error(`${n} meters × ${DAYS} days written in ${fmtMs(built.buildMs)}`);
  const r = await h.run(dir, MIGRATIONS);
  core.push({ n, built, r });
  if (n === SIZES[SIZES.length - 1]) served = dir;
}

console.log(
  `\n${DAYS} days of half-hours to yesterday per meter; ${core.map((c) => `${c.n.toLocaleString('en-GB')} meters on ${c.built.sites} sites`).join(', ')}; one meter in ten gas, suppliers with default tariffs, one in 25 with an open alert, a quarter fed by a source\n`,
);
console.log('### Tables in the core\n');
const row = (label, pick) => [label, ...core.map((c) => fmtMs(pick(c.r)))];
console.log(
  table(
    [
      'measurement (through dispatch, as a client calls it)',
      ...core.map((c) => `${c.n.toLocaleString('en-GB')} meters`),
    ],
    [
      row('`meters.table`, first call: every meter priced on two ranges', (r) => r.tableFirstMs),
      row('`meters.table` again, nothing changed (median of 5)', (r) => r.tableMs),
      row('`sites.table` (median of 5)', (r) => r.sitesMs),
      row('`meters.list`, the spans kept by the tables (median of 5)', (r) => r.listMs),
      row('baseline: the same list with every span read afresh', (r) => r.listUncachedMs),
      row('`meters.bulkUpdate`: every meter to one site', (r) => r.bulkSiteMs),
      row('`meters.bulkUpdate`: add one tag, remove another, on every meter', (r) => r.bulkTagsMs),
      row('`meters.bulkUpdate`: a tariff from a date on every electricity meter', (r) => r.bulkTariffMs),
      row('`meters.table` after that tariff (those meters priced again)', (r) => r.tableAfterTariffMs),
      row('`meters.table` after a site change (nothing priced again)', (r) => r.tableAfterSiteMs),
      [
        'rows priced / meters',
        ...core.map((c) => `${c.r.priced.toLocaleString('en-GB')} / ${c.r.meters.toLocaleString('en-GB')}`),
      ],
      ['reply size (JSON)', ...core.map((c) => `${(c.r.bytes / 1e6).toFixed(1)} MB`)],
    ],
  ),
);

// ------------------------------------------------------------------ the page, in Chromium

/** Starts `node dist/cli.cjs serve` on a free port; resolves with its URL and a stop function. */
function serve(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--data-dir', dataDir, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) resolve({ url: m[1], stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) });
    });
    child.stderr.resume();
    child.once('exit', (code) => reject(new Error(`the server stopped (${code}) before it listened: ${out}`)));
  });
}

/**
 * Runs `act` in the page and times it until `done` holds and the next frame is drawn (what a person
 * sees): the click, React's render and the browser's layout and paint.
 */
async function timed(page, act, done) {
  // one expression evaluated as it is (the page's content security policy forbids building functions from text)
  return page.evaluate(`(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await frame();
    const t0 = performance.now();
    ${act};
    const until = Date.now() + 60000;
    while (!(${done})) {
      if (Date.now() > until) throw new Error('timed out waiting for ' + ${JSON.stringify(done)});
      await new Promise((r) => requestAnimationFrame(r));
    }
    await frame();
    return performance.now() - t0;
  })()`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const q = (s) => JSON.stringify(s);
/** In-page snippets. */
const first = `document.querySelector('[data-testid="meter-row"]')`;
const count = `document.querySelector('[data-testid="table-count"]').textContent`;
const header = (name) =>
  `[...document.querySelectorAll('.vtable-table thead th')].find((th) => th.textContent.includes(${q(name)}))`;
const choose = (testId, value) =>
  `{ const s = document.querySelector('[data-testid="${testId}"]'); s.value = ${q(value)}; s.dispatchEvent(new Event('change', { bubbles: true })); }`;
/** Types into a React-controlled input (the value set through the prototype's setter, then an input event). */
const type = (selector, text) =>
  `{ const i = document.querySelector(${q(selector)}); Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(i, ${q(text)}); i.dispatchEvent(new Event('input', { bubbles: true })); }`;

const { chromium } = await import('playwright-core');
const server = await serve(served);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const ui = {};
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  let t0 = Date.now();
  await page.goto(`${server.url}/#/meters`);
  await page.waitForSelector('[data-testid="meter-row"]', { timeout: 120_000 });
  ui.openMs = Date.now() - t0;
  // the server keeps the priced figures: the page opened again reads them at once
  t0 = Date.now();
  await page.reload();
  await page.waitForSelector('[data-testid="meter-row"]', { timeout: 120_000 });
  ui.reopenMs = Date.now() - t0;
  await page.waitForTimeout(1500); // the sidebar's meter list and the alerts arrive
  ui.domRows = await page.evaluate(`document.querySelectorAll('[data-testid="meter-row"]').length`);
  ui.total = (await page.evaluate(count)).replace(/^Showing /, '');

  const runs = (n, f) =>
    (async () => {
      const xs = [];
      for (let i = 0; i < n; i++) xs.push(await f(i));
      return median(xs);
    })();
  ui.sortMs = await runs(5, (i) =>
    timed(
      page,
      `${header('kWh this month')}.querySelector('button').click()`,
      `${header('kWh this month')}.getAttribute('aria-sort') === ${q(i % 2 ? 'ascending' : 'descending')}`,
    ),
  );
  ui.sortTextMs = await runs(5, (i) =>
    timed(
      page,
      `${header('Site')}.querySelector('button').click()`,
      `${header('Site')}.getAttribute('aria-sort') === ${q(i % 2 ? 'descending' : 'ascending')}`,
    ),
  );
  ui.filterMs = await runs(6, (i) =>
    timed(
      page,
      choose('filter-fuel', i % 2 ? '' : 'gas'),
      `${count}.startsWith(${q(i % 2 ? 'Showing 5,000 of' : 'Showing 500 of')})`,
    ),
  );
  ui.searchMs = await runs(6, (i) =>
    timed(
      page,
      type('input[type="search"]', i % 2 ? '' : 'Meter 12'),
      `${count}.startsWith(${q(i % 2 ? 'Showing 5,000 of' : 'Showing 111 of')})`,
    ),
  );
  ui.scrollMs = await runs(5, (i) =>
    timed(
      page,
      `document.querySelector('.vtable .table-wrap').scrollTop = ${(i + 1) * 30_000}`,
      `[...document.querySelectorAll('[data-testid="meter-row"]')].some((r) => Number(r.getAttribute('aria-rowindex')) > ${(i + 1) * 800})`,
    ),
  );
  await page.evaluate(`document.querySelector('.vtable .table-wrap').scrollTop = 0`);
  ui.selectAllMs = await runs(6, (i) =>
    timed(
      page,
      `document.querySelector('[data-testid="select-all"]').click()`,
      i % 2
        ? `!document.querySelector('[data-testid="bulk-bar"]')`
        : `document.querySelector('[data-testid="selection-count"]')?.textContent === '5,000 selected'`,
    ),
  );
  // bulk assign every meter to one site: the choice is made, then the confirmation is timed until the
  // site column shows it, and until the table has been read again from the server
  const bulk = [];
  const reread = [];
  const reply = await page.evaluate(
    `fetch('rpc/sites.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json())`,
  );
  const sites = reply.value.filter((x) => x.meters === 0);
  for (let i = 0; i < 5; i++) {
    const target = sites[i];
    if (!(await page.getByTestId('bulk-bar').isVisible())) await page.getByTestId('select-all').click();
    await page.getByRole('button', { name: 'Assign to site…' }).click();
    await page.getByTestId('bulk-dialog').getByLabel('Site', { exact: true }).selectOption(String(target.id));
    await page.getByTestId('bulk-next').click();
    await page.getByTestId('bulk-question').waitFor();
    const read = page.waitForResponse((r) => r.url().includes('/rpc/meters.table'), { timeout: 60_000 });
    const before = await page.evaluate(`performance.now()`);
    bulk.push(
      await timed(
        page,
        `document.querySelector('[data-testid="bulk-confirm"]').click()`,
        `${first}.textContent.includes(${q(target.name)}) && !document.querySelector('[data-testid="bulk-dialog"]').open`,
      ),
    );
    await read;
    await page.evaluate(`(async () => {
      while (document.querySelector('[aria-busy="true"]')) await new Promise((r) => setTimeout(r, 10));
    })()`);
    reread.push((await page.evaluate(`performance.now()`)) - before);
  }
  ui.bulkMs = median(bulk);
  ui.bulkRereadMs = median(reread);
} finally {
  await browser.close();
  await server.stop();
}

const rowsUi = [
  ['open the page (meters.table first call, all 5,000 priced; not an interaction)', ui.openMs, null],
  ['open it again (the figures kept by the server)', ui.reopenMs, null],
  ['**sort** by kWh this month (5,000 rows; median of 5)', ui.sortMs, true],
  ['**sort** by site (text; median of 5)', ui.sortTextMs, true],
  ['**filter**: fuel = gas, and back (median of 6)', ui.filterMs, true],
  ['**search** "Meter 12" in the page header, and back (median of 6)', ui.searchMs, true],
  ['**scroll** 30,000 px down (median of 5)', ui.scrollMs, true],
  ['**select all** 5,000 shown, and none (median of 6)', ui.selectAllMs, true],
  ['**bulk assign** 5,000 meters to a site: confirm → the site column shows it (median of 5)', ui.bulkMs, true],
  ['… and the table read again from the server (meters.changed)', ui.bulkRereadMs, null],
];
console.log('\n### Tables in the browser (5,000 meters)\n');
console.log(
  `Chromium (headless, playwright-core) at 1440 × 900 against \`node dist/cli.cjs serve\`; ${ui.domRows} rows in the page of ${ui.total}.\n`,
);
console.log(
  table(
    ['interaction', 'time', 'target', 'result'],
    rowsUi.map(([label, ms, target]) => [
      label,
      fmtMs(ms),
      target ? `≤ ${TARGET_MS} ms` : '',
      target ? verdict(ms <= TARGET_MS) : '',
    ]),
  ),
);
if (rowsUi.some(([, ms, target]) => target && ms > TARGET_MS)) process.exitCode = 1;
