import { describe, expect, it } from 'vitest';
import { parseBudgetCsv } from './budget-csv';

const sites = [
  { id: 3, name: 'Bath School' },
  { id: 7, name: 'Wells Library' },
];

describe('budgets from a CSV', () => {
  it('reads a BOM, semicolons, site ids and names (any case), £ as pence and empty cells as cleared', () => {
    const text =
      '\uFEFFSite ID;Month;kWh;GBP\r\n3;2025-01;1200.5;£1,000.10\r\nwells library;2025-01;;\r\n\r\n7;2025-02;900;12\r\n';
    expect(Object.fromEntries(parseBudgetCsv(text, 'b.csv', sites))).toEqual({
      3: [{ month: '2025-01', kwh: 1200.5, pence: 100010 }],
      7: [
        { month: '2025-01', kwh: null, pence: null },
        { month: '2025-02', kwh: 900, pence: 1200 },
      ],
    });
  });

  it('names the columns a header lacks', () => {
    expect(() => parseBudgetCsv('name,period,amount\nBath School,2025-01,1', 'b.csv', sites)).toThrow(
      'The header (line 1) of b.csv needs "site id" or "site name", "month", "kWh" or "£" columns (found: name, period, amount)',
    );
  });

  it('lists every problem by line and column, a month given twice included, and keeps nothing', () => {
    const text = ['site,month,kwh', 'Bath School,2025-01,10', ',2025-02,1', 'Bath School,2025-01,-4', '9,25-01,x'].join(
      '\n',
    );
    expect(() => parseBudgetCsv(text, 'b.csv', sites)).toThrow(
      'Nothing was set from b.csv; 6 problems: line 3, column "site": no site is given; ' +
        'line 4, column "kwh": "-4" is not an amount of kWh (a number, 0 or more); ' +
        'line 4, column "month": Bath School 2025-01 is given twice; ' +
        'line 5, column "site": there is no site "9" (give a site\'s id or its name); ' +
        'line 5, column "month": "25-01" is not a month; expected YYYY-MM, e.g. 2025-03; ' +
        'line 5, column "kwh": "x" is not an amount of kWh (a number, 0 or more)',
    );
    expect(() => parseBudgetCsv('site,month,kwh\n', 'b.csv', sites)).toThrow(
      'There are no budget rows under the header of b.csv',
    );
  });
});
