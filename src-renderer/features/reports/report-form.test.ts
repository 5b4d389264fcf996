import { describe, expect, it } from 'vitest';
import {
  csvRows,
  exportRequest,
  lastWholeMonth,
  prefillFrom,
  reportArgs,
  reportBytes,
  type ExportChoice,
  type ReportChoice,
} from './report-form';

const meter = { kind: 'meter' as const, meter: '1200050000009', siteId: null };
const month: ReportChoice = { scope: meter, period: 'month', month: '2025-03', year: '', format: 'pdf' };

describe('reportArgs', () => {
  it('asks reports.make for the month or the year picked', () => {
    expect(reportArgs(month)).toEqual({
      ok: true,
      value: { scope: { meter: '1200050000009' }, format: 'pdf', month: '2025-03' },
    });
    expect(
      reportArgs({ ...month, scope: { kind: 'portfolio', meter: '', siteId: null }, period: 'year', year: ' 2024 ' }),
    ).toEqual({ ok: true, value: { scope: { all: true }, format: 'pdf', year: 2024 } });
    expect(reportArgs({ ...month, scope: { kind: 'site', meter: '', siteId: 7 }, format: 'html' })).toMatchObject({
      value: { scope: { siteId: 7 }, format: 'html' },
    });
  });

  it('says what is missing', () => {
    expect(reportArgs({ ...month, scope: { kind: 'site', meter: '', siteId: null }, month: '' })).toEqual({
      ok: false,
      errors: { scope: 'Choose a site', month: 'Choose a month' },
    });
    expect(reportArgs({ ...month, period: 'year', year: '25' })).toEqual({
      ok: false,
      errors: { year: 'Give a year such as 2025' },
    });
  });
});

describe('exportRequest', () => {
  const base: ExportChoice = { table: 'readings-wide', scope: meter, from: '2025-03-01', to: '2025-03-31' };
  it('makes the last day included the exclusive end, across month and year ends', () => {
    expect(exportRequest(base)).toEqual({
      ok: true,
      value: {
        what: 'readings',
        scope: { meter: '1200050000009' },
        from: '2025-03-01',
        to: '2025-04-01',
        layout: 'wide',
      },
    });
    expect(exportRequest({ ...base, table: 'totals', to: '2024-12-31' })).toMatchObject({
      ok: false,
      errors: { to: 'The last day must not be before the first' },
    });
    expect(exportRequest({ ...base, table: 'totals', from: '2024-02-28', to: '2024-12-31' })).toMatchObject({
      value: { what: 'totals', period: 'month', to: '2025-01-01' },
    });
    expect(exportRequest({ ...base, table: 'alerts', from: '2024-02-29', to: '2024-02-29' })).toMatchObject({
      value: { what: 'alerts', to: '2024-03-01' },
    });
  });

  it('names the fields that are not dates', () => {
    expect(exportRequest({ ...base, from: '31/02/2025', to: '' })).toEqual({
      ok: false,
      errors: { from: 'Give a date as DD/MM/YYYY', to: 'Give the last day' },
    });
  });
});

describe('helpers', () => {
  it('takes the month before today in UK time as the last whole month', () => {
    expect(lastWholeMonth(Date.UTC(2025, 0, 15))).toBe('2024-12');
    // 23:30 UTC on 31 March is 00:30 on 1 April in the UK (BST)
    expect(lastWholeMonth(Date.UTC(2025, 2, 31, 23, 30))).toBe('2025-03');
  });

  it('decodes a PDF from base64 and HTML from text', () => {
    expect(Array.from(reportBytes({ encoding: 'base64', data: btoa('%PDF-1.7') }))).toEqual(
      Array.from('%PDF-1.7').map((c) => c.charCodeAt(0)),
    );
    expect(new TextDecoder().decode(reportBytes({ encoding: 'utf8', data: '£1 – ok' }))).toBe('£1 – ok');
  });

  it('reads the attachment name and the page address', () => {
    expect(prefillFrom('#/reports?meter=1200050000009&month=2025-03')).toEqual({ scope: meter, month: '2025-03' });
    expect(prefillFrom('#/reports?site=4&month=2025-13')).toEqual({
      scope: { kind: 'site', meter: '', siteId: 4 },
    });
    expect(prefillFrom('#/reports')).toEqual({});
  });
});

describe('csvRows', () => {
  it('counts the data rows under the header, a quoted line break inside a cell not ending a row', () => {
    const header = '\uFEFFmeter,start_utc,start_uk,kwh,quality\r\n';
    expect(csvRows(header)).toBe(0);
    expect(csvRows('')).toBe(0);
    expect(csvRows(`${header}1,a,b,0.5,A\r\n1,c,d,0.25,A\r\n`)).toBe(2);
    expect(csvRows(`${header}1,"two\r\nlines",b,0.5,A`)).toBe(1);
  });
});
