import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DateField } from './DateField';

const render = (value: string) =>
  renderToStaticMarkup(createElement(DateField, { id: 'from', value, onChange: () => undefined }));

describe('DateField', () => {
  it('shows a stored day as DD/MM/YYYY in a text box, whatever the browser language', () => {
    const html = render('2019-11-01');
    expect(html).toContain('type="text"');
    expect(html).toContain('value="01/11/2019"');
    expect(html).toContain('placeholder="DD/MM/YYYY"');
    // the browser's own date input only anchors the calendar: out of the tab order and hidden from screen readers
    expect(html).toMatch(
      /<input type="date" class="date-field-picker" tabindex="-1" aria-hidden="true" value="2019-11-01"/,
    );
    expect(html).toContain('aria-label="Open calendar"');
  });

  it('keeps text that is not a date as typed, and says why once it is whole', () => {
    const html = render('31/02/2025');
    expect(html).toContain('value="31/02/2025"');
    expect(html).toContain('February 2025 has 28 days: there is no day 31.');
    expect(html).toContain('aria-invalid="true"');
    expect(render('31/02')).not.toContain('role="alert"');
  });
});
