/**
 * The analyses on the command line (docs/cli.md, "eclectyc analyse…"): a real process on a bundled
 * build and a temporary data folder. `sites add` with a western (negative) longitude, `sites assign`,
 * `sites closures --add`, `weather import`; then `analyse`, `quality`, `exceptions`, `baseline` and
 * `cusum --json` print exactly the keys docs/cli.md documents (read from the document itself, so the
 * two cannot drift apart) with the values the contract returns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../tests/helpers/cli';
import { REPO, tempDir, writeTemp } from '../../tests/helpers/core';
import { prng } from '../../tests/helpers/random';

const MPAN = '1012477457919';
const FROM = '2023-11-06';
const TO = '2024-03-04';

let cli: string;
let dataDir: string;

const run = (args: string[]) => runCli(cli, [...args, '--data-dir', dataDir]);
const json = (args: string[]): unknown => {
  const r = run([...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  return JSON.parse(r.stdout);
};

/**
 * Seventeen winter weeks (all GMT, so UTC clock times are local ones) of a heated office: a weather
 * term, working hours, a spike, a zero run, a gap and one day of large excess; and the daily
 * temperatures. (A single spike can only be an outlier when its weekday-and-slot group has at least
 * 11 values, since its own value is in the mean and standard deviation: (n − 1) ÷ √n > 3.)
 */
function generate(): { readings: string; weather: string } {
  const rnd = prng(7);
  const rows = ['MPAN,Timestamp,kWh'];
  const weather = ['date,meanTemperatureC'];
  for (let t = Date.parse(`${FROM}T00:00:00Z`); t < Date.parse(`${TO}T00:00:00Z`); t += 86400000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const temp = Math.round((2 + 10 * rnd()) * 10) / 10;
    weather.push(`${date},${temp}`);
    const weekday = (new Date(t).getUTCDay() + 6) % 7;
    for (let k = 0; k < 48; k++) {
      const open = weekday < 5 && k >= 16 && k < 36;
      let kwh = 0.6 + 0.08 * Math.max(0, 15.5 - temp) + (open ? 3 : 0) + 0.2 * rnd();
      if (date === '2024-02-21' && open) kwh *= 3;
      if (date === '2024-02-06' && k === 6) kwh = 45;
      if (date === '2024-01-24' && k >= 2 && k < 7) kwh = 0;
      if (date === '2024-01-30' && k >= 10 && k < 13) continue;
      rows.push(`${MPAN},${new Date(t + k * 1800000).toISOString()},${kwh === 0 ? 0 : kwh.toFixed(3)}`);
    }
  }
  return { readings: rows.join('\n'), weather: weather.join('\n') };
}

// ---- the documented shapes, read from docs/cli.md

type Shape = null | { [key: string]: Shape } | Shape[];

/**
 * Parses a documented shape such as `{ "gaps": [ { "from", "to" } ], "lastReading" }` (leaves are
 * null; `{ …as baseline… }` is the shape `shapes.baseline`).
 */
function parseShape(text: string, shapes: Record<string, Shape>): Shape {
  const tokens = text.match(/\{|\}|\[|\]|"[^"]*"|:|,|…as \w+…/g)!;
  let i = 0;
  const value = (): Shape => {
    const t = tokens[i++]!;
    if (t === '{' && tokens[i]!.startsWith('…')) {
      // `{ …as baseline… }`: a shape documented above
      const named = shapes[tokens[i++]!.slice(4, -1)]!;
      expect(tokens[i++]).toBe('}');
      return named;
    }
    if (t === '{') {
      const o: Record<string, Shape> = {};
      while (tokens[i] !== '}') {
        const key = JSON.parse(tokens[i++]!) as string;
        o[key] = tokens[i] === ':' ? (i++, value()) : null;
        if (tokens[i] === ',') i++;
      }
      i++;
      return o;
    }
    if (t === '[') {
      const item = value();
      expect(tokens[i++]).toBe(']');
      return [item];
    }
    throw new Error(`unexpected ${t} in ${text}`);
  };
  return value();
}

function documentedShapes(): Record<string, Shape> {
  const doc = fs.readFileSync(path.join(REPO, 'docs', 'cli.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## `eclectyc analyse`'));
  const body = section.slice(0, section.indexOf('\n## ', 5));
  const shapes: Record<string, Shape> = {};
  for (const m of body.matchAll(/^- `(\w+) --json` → ([\s\S]*?)(?=\n- `|\n\n)/gm)) {
    const text = m[2]!.replace(/\s+/g, ' ');
    // the shape runs to its closing bracket; what follows is commentary
    let depth = 0;
    let end = 0;
    for (let j = 0; j < text.length; j++) {
      if (text[j] === '{' || text[j] === '[') depth++;
      if (text[j] === '}' || text[j] === ']') depth--;
      if (depth === 0 && j > 0) {
        end = j + 1;
        break;
      }
    }
    shapes[m[1]!] = parseShape(text.slice(0, end), shapes);
  }
  return shapes;
}

/** The shape of a value: objects' keys, arrays by their first item (which must exist), leaves null. */
function shapeOf(v: unknown, doc: Shape): Shape {
  if (Array.isArray(doc)) {
    expect(Array.isArray(v) && v.length > 0, `a non-empty list for ${JSON.stringify(doc)}`).toBe(true);
    return [shapeOf((v as unknown[])[0], doc[0]!)];
  }
  if (doc !== null) {
    expect(typeof v).toBe('object');
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, k in doc ? shapeOf(x, doc[k]!) : null]),
    );
  }
  return null;
}

// ---- the tests

let siteId: number;

beforeAll(async () => {
  cli = await buildCli();
  dataDir = tempDir();
  const { readings, weather } = generate();
  const imported = run(['import', writeTemp('office.csv', readings)]);
  expect(imported.code, imported.stderr).toBe(0);
  const site = json([
    'sites',
    'add',
    'Town',
    'Hall',
    '--lat',
    '51.38',
    '--lon',
    '-2.36',
    '--hours',
    'mon-fri 08:00-18:00',
    '--floor-area',
    '2400',
  ]) as { id: number };
  siteId = site.id;
  json(['sites', 'assign', String(siteId), MPAN]);
  json(['weather', 'import', writeTemp('weather.csv', weather), '--site', String(siteId)]);
}, 60_000);

describe('eclectyc sites and weather', () => {
  it('adds a site with a western longitude, hours and floor area, assigns a meter, adds a closure', () => {
    const sites = json(['sites', 'list']) as Record<string, unknown>[];
    expect(sites).toEqual([
      expect.objectContaining({
        id: siteId,
        name: 'Town Hall',
        meters: 1,
        latitude: 51.38,
        longitude: -2.36,
        floorAreaM2: 2400,
        openingHours: 'mon-fri 08:00-18:00',
        openingHoursDefault: false,
        generation: false,
      }),
    ]);
    const closure = json(['sites', 'closures', String(siteId), '--add', '2024-02-12', '2024-02-17']);
    expect(closure).toMatchObject({ from: '2024-02-12', to: '2024-02-17' });
    expect(json(['sites', 'closures', String(siteId)])).toEqual([
      expect.objectContaining({ id: (closure as { id: number }).id, from: '2024-02-12', to: '2024-02-17' }),
    ]);
    // the closure's week is holiday in the analysis
    const a = json(['call', 'analytics.meter', '--args', JSON.stringify({ meter: MPAN, from: FROM, to: TO })]) as {
      days: { date: string; kind: string }[];
    };
    expect(a.days.filter((d) => d.kind === 'holiday').map((d) => d.date)).toEqual([
      '2023-12-25',
      '2023-12-26',
      '2024-01-01',
      '2024-02-12',
      '2024-02-13',
      '2024-02-14',
      '2024-02-15',
      '2024-02-16',
    ]);
  });

  it('imports weather for a site and refuses bad opening hours with the reason', () => {
    const w = json(['call', 'weather.list', '--args', JSON.stringify({ siteId, from: FROM, to: TO })]) as unknown[];
    expect(w).toHaveLength(119);
    const bad = run(['sites', 'add', 'Depot', '--hours', 'mon-fry 08:00-18:00']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('"fry" is not a day');
  });
});

describe('eclectyc analyse|quality|exceptions|baseline|cusum --json', () => {
  const shapes = documentedShapes();
  const range = ['--from', FROM, '--to', TO];
  const contract = (method: string, args: object): Record<string, unknown> =>
    json(['call', method, '--args', JSON.stringify(args)]) as Record<string, unknown>;

  it('reads every documented shape from docs/cli.md', () => {
    expect(Object.keys(shapes).sort()).toEqual(['analyse', 'baseline', 'cusum', 'exceptions', 'quality']);
  });

  it('analyse prints the documented keys with the contract’s values', () => {
    const out = json(['analyse', MPAN, ...range]) as Record<string, unknown>;
    expect(shapeOf(out, shapes.analyse!)).toEqual(shapes.analyse);
    const full = contract('analytics.meter', { meter: MPAN, from: FROM, to: TO });
    for (const [k, v] of Object.entries(out)) expect(v, k).toEqual(full[k]);
    expect(out.peakAt).toBe('2024-02-06T03:00:00Z');
  });

  it('quality prints the documented keys, its lists included', () => {
    const out = json(['quality', MPAN, ...range]) as Record<string, unknown>;
    // negatives cannot come from an import, so that list is empty: its items' keys are checked on the contract's type
    const { negatives, ...rest } = shapes.quality as Record<string, Shape>;
    expect(shapeOf({ ...out, negatives: undefined }, { ...rest, negatives: null })).toEqual({
      ...rest,
      negatives: null,
    });
    expect(negatives).toEqual([{ start: null, kwh: null }]);
    expect(out.negatives).toEqual([]);
    expect(out).toMatchObject({
      gaps: [{ from: '2024-01-30T05:00:00Z', to: '2024-01-30T06:30:00Z', halfHours: 3 }],
      zeroRuns: [{ from: '2024-01-24T01:00:00Z', to: '2024-01-24T03:30:00Z', halfHours: 5 }],
      missingHalfHours: 3,
    });
    expect((out.outliers as { start: string }[]).map((o) => o.start)).toContain('2024-02-06T03:00:00Z');
    const full = contract('analytics.quality', { meter: MPAN, from: FROM, to: TO });
    for (const [k, v] of Object.entries(out)) expect(v, k).toEqual(full[k]);
    const longer = json(['quality', MPAN, ...range, '--zero-run', '6']) as { zeroRuns: unknown[] };
    expect(longer.zeroRuns).toEqual([]);
  });

  it('exceptions prints a list of the documented keys', () => {
    const out = json(['exceptions', MPAN, ...range]) as { date: string }[];
    expect(shapeOf(out, shapes.exceptions!)).toEqual(shapes.exceptions);
    expect(out.map((e) => e.date)).toContain('2024-02-21');
    const full = contract('analytics.exceptions', { meter: MPAN, from: FROM, to: TO }) as {
      exceptions: Record<string, unknown>[];
    };
    expect(out).toEqual(
      full.exceptions.map((e) => ({
        date: e.date,
        actualKwh: e.actualKwh,
        expectedKwh: e.expectedKwh,
        excessKwh: e.excessKwh,
      })),
    );
  });

  it('baseline and cusum print the documented keys', () => {
    const b = json(['baseline', MPAN, ...range, '--base-temperature', '15.5']) as Record<string, unknown>;
    expect(shapeOf(b, shapes.baseline!)).toEqual(shapes.baseline);
    expect(b.baseTemperature).toBe(15.5);
    const full = contract('analytics.baseline', { meter: MPAN, from: FROM, to: TO, baseTemperature: 15.5 });
    for (const [k, v] of Object.entries(b)) expect(v, k).toEqual(full[k]);
    const c = json([
      'cusum',
      MPAN,
      '--baseline-from',
      FROM,
      '--baseline-to',
      '2024-02-05',
      '--from',
      '2024-02-05',
      '--to',
      TO,
    ]) as { days: unknown[]; avoidedKwh: number };
    expect(shapeOf(c, shapes.cusum!)).toEqual(shapes.cusum);
    expect(c.days.length).toBeGreaterThan(20);
  });

  it('baseline --split adds a model for open days and one for weekends and holidays', () => {
    const b = json(['baseline', MPAN, ...range, '--split']) as Record<string, unknown>;
    const full = contract('analytics.baseline', { meter: MPAN, from: FROM, to: TO, splitOpenClosed: true });
    expect(full.split).not.toBeNull();
    expect(b.split).toEqual(full.split);
    expect(Object.keys(b.split as object).sort()).toEqual(['closed', 'open']);
  });
});
