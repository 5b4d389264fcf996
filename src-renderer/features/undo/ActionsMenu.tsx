/** A small "Actions" button: a list of commands that opens under it, closing on a choice, Escape or a click away. */
import { useEffect, useRef, useState } from 'react';

export interface MenuItem {
  label: string;
  testId: string;
  run: () => void;
}

export function ActionsMenu({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent): void => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', key);
    };
  }, [open]);
  return (
    <div className="actions-menu" ref={box}>
      <button
        type="button"
        className="btn btn-small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        data-testid="actions-menu"
        onClick={() => setOpen((o) => !o)}
      >
        Actions <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul className="actions-menu-list" role="menu">
          {items.map((i) => (
            <li key={i.testId} role="none">
              <button
                type="button"
                role="menuitem"
                className="actions-menu-item"
                data-testid={i.testId}
                onClick={() => {
                  setOpen(false);
                  i.run();
                }}
              >
                {i.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
