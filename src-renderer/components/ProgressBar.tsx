export function ProgressBar({
  value,
  label,
  tone = 'active',
}: {
  value: number;
  label: string;
  tone?: 'active' | 'done' | 'failed' | 'idle' | 'warn';
}) {
  const v = Math.max(0, Math.min(100, Math.round(value * 10) / 10));
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
      aria-valuetext={`${v}%`}
    >
      <div className="progress-fill" style={{ width: `${v}%` }} />
    </div>
  );
}
