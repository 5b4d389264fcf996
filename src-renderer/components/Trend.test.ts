import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Trend } from './Trend';

const text = (props: Parameters<typeof Trend>[0]) =>
  renderToStaticMarkup(createElement(Trend, props)).replace(/<[^>]+>/g, '');

describe('a trend that cannot be drawn', () => {
  it('says how complete each period is, so the reader sees which one is short', () => {
    // week to date 16.7 % complete against 3.3 % the week before: not "3.3 % complete" for this week
    expect(
      text({ changePercent: null, comparable: false, completeness: 1 / 6, previousCompleteness: 0.033, against: 'x' }),
    ).toBe('Not comparable: data incomplete (16.7 % complete, the one before 3.3 %)');
    expect(text({ changePercent: null, comparable: false, completeness: 0.5, against: 'x' })).toBe(
      'Not comparable: data incomplete (50 % complete)',
    );
  });
});
