import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field } from './Field';

const input = (c: object) => createElement('input', c);

describe('Field', () => {
  it('labels its control and points it at the hint and the error', () => {
    const field = createElement(Field, {
      id: 'days',
      label: 'Keep for',
      hint: 'In days.',
      error: 'a whole number',
      children: input,
    });
    const html = renderToStaticMarkup(field);
    expect(html).toBe(
      '<div class="field field-invalid"><label for="days" class="field-label">Keep for</label>' +
        '<div class="field-control">' +
        '<input id="days" aria-invalid="true" aria-describedby="days-hint days-error"/>' +
        '<span id="days-error" class="field-error" role="alert" data-testid="days-error">a whole number</span>' +
        '</div>' +
        '<p id="days-hint" class="field-hint muted small">In days.</p></div>',
    );
  });

  it('leaves a valid control unmarked, and a plain field without the control row', () => {
    const field = createElement(Field, { id: 'name', label: 'Name', plain: true, children: input });
    expect(renderToStaticMarkup(field)).toBe(
      '<div class="field"><label for="name" class="field-label">Name</label><input id="name"/></div>',
    );
  });
});
