/** Human output for the CLI: aligned tables and number formatting. */

export function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export const formatKwh = (v: number | null): string => (v === null ? 'missing' : String(v));

/** A kWh figure to three decimals, or a dash where there is none. */
export const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(3));

/** Pence as pounds, e.g. £1,234.57. */
export const pounds = (pence: number): string =>
  `£${(Math.round(pence) / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
