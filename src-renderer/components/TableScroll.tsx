/**
 * The wrapper of a wide table. A table that fits shows as it is; one that cannot fit the window
 * scrolls sideways with a cue: a shadow on each side that has columns out of sight, and its first
 * column held in place (sticky) so every row stays named while scrolling.
 */
import { useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';

/** Marks `el` with what is out of sight: `data-overflow`, and `data-more-left` / `data-more-right`. */
function markOverflow(el: HTMLElement): void {
  const over = el.scrollWidth - el.clientWidth > 1;
  const set = (name: string, on: boolean) => (on ? el.setAttribute(name, 'true') : el.removeAttribute(name));
  set('data-overflow', over);
  set('data-more-left', over && el.scrollLeft > 1);
  set('data-more-right', over && el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
}

/** Keeps a table wrapper's overflow marks (`data-more-left` / `data-more-right`) current as it scrolls and resizes. */
export function useOverflowCue(ref: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => markOverflow(el);
    update();
    el.addEventListener('scroll', update, { passive: true });
    // the wrapper's width follows the window; the table's follows its rows
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(el);
    const table = el.firstElementChild;
    if (table) observer?.observe(table);
    return () => {
      el.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [ref]);
}

export function TableScroll({ className, children }: { className?: string | undefined; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useOverflowCue(ref);
  return (
    <div className={className ? `table-scroll ${className}` : 'table-scroll'}>
      <div ref={ref} className="table-wrap">
        {children}
      </div>
    </div>
  );
}
