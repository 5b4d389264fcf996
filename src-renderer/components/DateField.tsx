/**
 * A UK date input: shows and takes DD/MM/YYYY whatever the browser's or the system's language, with
 * a calendar button beside it. Reports `YYYY-MM-DD` (what the API takes) once the text is a real
 * date, '' when it is empty, and the text itself otherwise, so a form sees it is not a date (check
 * it with `parseUkDate`, whose words the field also shows once the text is whole and still not a date).
 */
import { useEffect, useRef, useState } from 'react';
import { isIsoDay, isoToUkDate, parseUkDate } from '../lib/format';

export interface DateFieldProps {
  id: string;
  /** `YYYY-MM-DD`, '' or text that is not (yet) a date. */
  value: string;
  onChange: (value: string) => void;
  'aria-invalid'?: true | undefined;
  'aria-describedby'?: string | undefined;
  /** For a field without a visible label (the label is then read out). */
  'aria-label'?: string;
  /** The earliest and latest days the calendar offers (`YYYY-MM-DD`). */
  min?: string;
  max?: string;
  testId?: string;
}

/** What the field reports for its text. */
function reported(text: string): string {
  const r = parseUkDate(text);
  return r.ok ? r.iso : text.trim();
}

function shown(value: string): string {
  return isIsoDay(value) ? isoToUkDate(value) : value;
}

export function DateField({
  id,
  value,
  onChange,
  'aria-invalid': invalid,
  'aria-describedby': describedBy,
  'aria-label': ariaLabel,
  min,
  max,
  testId,
}: DateFieldProps) {
  const [text, setText] = useState(() => shown(value));
  const picker = useRef<HTMLInputElement>(null);

  // a value set from outside (a reset, a prefill) replaces the text; our own reports do not
  useEffect(() => {
    setText((t) => (reported(t) === value ? t : shown(value)));
  }, [value]);

  const parsed = parseUkDate(text);
  // the field's own message, as soon as the text is whole (or has letters) and still not a date —
  // never on leaving the field, which would move the button being clicked — unless the form says why
  const whole = /^\d{1,2}\D+\d{1,2}\D+\d{4}$|^\d{4}-\d{1,2}-\d{1,2}$|[^\d\s/.-]/.test(text.trim());
  const problem = whole && !parsed.ok && !invalid ? parsed.error : null;
  const described = [describedBy, problem ? `${id}-format` : ''].filter(Boolean).join(' ') || undefined;

  const type = (t: string): void => {
    setText(t);
    onChange(reported(t));
  };
  const openCalendar = (): void => {
    const el = picker.current;
    if (!el) return;
    try {
      el.showPicker();
    } catch {
      el.focus();
      el.click();
    }
  };

  return (
    <span className="date-field" data-testid={testId}>
      <span className="date-field-row">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          className="input date-field-input"
          placeholder="DD/MM/YYYY"
          maxLength={10}
          value={text}
          aria-invalid={invalid ?? (problem ? true : undefined)}
          aria-describedby={described}
          aria-label={ariaLabel}
          onChange={(e) => type(e.currentTarget.value)}
          onBlur={() => {
            if (parsed.ok) setText(isoToUkDate(parsed.iso));
          }}
        />
        <button
          type="button"
          className="btn btn-quiet date-field-button"
          aria-label="Open calendar"
          title="Choose from a calendar"
          onClick={openCalendar}
        >
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
            <rect x="2" y="3" width="12" height="11" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <path d="M2 6.5h12M5 1.5v3M11 1.5v3" stroke="currentColor" strokeWidth="1.4" />
          </svg>
        </button>
        {/* the browser's calendar, opened by the button; its own text box (in the browser's format) is never shown */}
        <input
          ref={picker}
          type="date"
          className="date-field-picker"
          tabIndex={-1}
          aria-hidden="true"
          value={isIsoDay(value) ? value : ''}
          min={min}
          max={max}
          onChange={(e) => {
            const iso = e.currentTarget.value;
            if (!isIsoDay(iso)) return;
            setText(isoToUkDate(iso));
            onChange(iso);
          }}
        />
      </span>
      {problem && (
        <span id={`${id}-format`} className="field-error" role="alert" data-testid={`${id}-format`}>
          {problem}
        </span>
      )}
    </span>
  );
}
