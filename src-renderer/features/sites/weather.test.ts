import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract/errors';
import type { WeatherDay } from '../../../src-shared/contract/types';
import {
  buildWeatherOption,
  sourceName,
  weatherCsv,
  weatherFileProblems,
  weatherMeasure,
  weatherSeries,
  weatherWindow,
} from './weather';

const day = (date: string, meanC: number | null, over: Partial<WeatherDay> = {}): WeatherDay => ({
  date,
  meanC,
  hdd: null,
  hddBase: null,
  source: 'open-meteo',
  ...over,
});

describe('weatherWindow', () => {
  it('is the 365 days up to the last stored day, or all of them when fewer', () => {
    expect(weatherWindow({ first: '2020-01-01', last: '2024-12-31' })).toEqual({
      from: '2024-01-02',
      to: '2025-01-01',
    });
    expect(weatherWindow({ first: '2024-11-30', last: '2024-12-02' })).toEqual({
      from: '2024-11-30',
      to: '2024-12-03',
    });
  });
});

describe('the weather chart', () => {
  const days = [day('2024-03-01', 6.2), day('2024-03-03', -1.5, { source: 'file:bath.csv' })];

  it('has one point per calendar day, a gap where nothing is stored', () => {
    const series = weatherSeries(days, '2024-02-29', '2024-03-04');
    expect(series.map((d) => d?.meanC ?? null)).toEqual([null, 6.2, null, -1.5]);
    const o = buildWeatherOption(days, '2024-02-29', '2024-03-04') as {
      xAxis: { data: string[] };
      series: { type: string; data: (number | null)[] }[];
      yAxis: { name: string };
    };
    expect(o.xAxis.data).toEqual(['2024-02-29', '2024-03-01', '2024-03-02', '2024-03-03']);
    expect(o.series[0]).toMatchObject({ type: 'line', data: [null, 6.2, null, -1.5] });
    expect(o.yAxis.name).toBe('°C');
  });

  it('says the day, the temperature and where it came from in the tooltip', () => {
    const o = buildWeatherOption(days, '2024-03-01', '2024-03-04') as {
      tooltip: { formatter: (p: unknown) => string };
    };
    expect(o.tooltip.formatter([{ dataIndex: 2 }])).toBe(
      'Sun 3 Mar 2024<br/>Mean <b>\u22121.5 °C</b><br/>From bath.csv',
    );
    expect(o.tooltip.formatter([{ dataIndex: 1 }])).toBe('Sat 2 Mar 2024<br/>No weather stored');
  });

  it('draws degree days as bars when a file gave no temperatures', () => {
    const hdd = [day('2024-01-01', null, { hdd: 9.5, hddBase: 15.5, source: 'file:dd.csv' })];
    expect(weatherMeasure(hdd)).toBe('hdd');
    expect(weatherMeasure([...hdd, day('2024-01-02', 4)])).toBe('temperature');
    const o = buildWeatherOption(hdd, '2024-01-01', '2024-01-02') as {
      series: { type: string; data: (number | null)[] }[];
      tooltip: { formatter: (p: unknown) => string };
    };
    expect(o.series[0]).toMatchObject({ type: 'bar', data: [9.5] });
    expect(o.tooltip.formatter([{ dataIndex: 0 }])).toBe(
      'Mon 1 Jan 2024<br/>9.5 degree days (base 15.5 °C)<br/>From dd.csv',
    );
  });

  it('downloads every stored day with its source', () => {
    expect(weatherCsv(days).rows).toEqual([
      ['2024-03-01', 6.2, null, null, 'Open-Meteo'],
      ['2024-03-03', -1.5, null, null, 'bath.csv'],
    ]);
    expect(sourceName('something-else')).toBe('something-else');
  });
});

describe('weatherFileProblems', () => {
  it('lists a refused file’s problems by line and column, without repeating the file name', () => {
    const e = new AppError(
      'BAD_INPUT',
      'w.csv was not imported (nothing was stored): 2 problems\nw.csv line 3, column 2 (temp): expected a mean temperature in °C between -50 and 60, found "hot"\n…',
      {
        errors: [
          {
            line: 3,
            column: 2,
            message: 'w.csv line 3, column 2 (temp): expected a mean temperature in °C between -50 and 60, found "hot"',
          },
          {
            line: 7,
            column: 1,
            message: 'w.csv line 7, column 1 (date): expected a date YYYY-MM-DD or DD/MM/YYYY, found "32/01/2024"',
          },
        ],
      },
    );
    expect(weatherFileProblems(e)).toEqual({
      summary: 'w.csv was not imported (nothing was stored): 2 problems',
      problems: [
        { line: 3, column: 2, message: '(temp): expected a mean temperature in °C between -50 and 60, found "hot"' },
        { line: 7, column: 1, message: '(date): expected a date YYYY-MM-DD or DD/MM/YYYY, found "32/01/2024"' },
      ],
    });
  });

  it('keeps short messages whole and copes with failures that list nothing', () => {
    const empty = new AppError('BAD_INPUT', 'e.csv is empty: expected …', {
      errors: [{ line: 1, column: 1, message: 'the file is empty' }],
    });
    expect(weatherFileProblems(empty).problems).toEqual([{ line: 1, column: 1, message: 'the file is empty' }]);
    expect(weatherFileProblems(new AppError('UNAVAILABLE', 'offline'))).toEqual({ summary: 'offline', problems: [] });
    expect(weatherFileProblems(new Error('boom'))).toEqual({ summary: 'boom', problems: [] });
  });
});
