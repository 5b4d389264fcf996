/** The app's health in the frame: a green, amber or red dot with its word, leading to the Health page. */
import { href } from '../../lib/route';
import { useAlertsStore } from '../../stores/alerts';
import '../../styles/health.css';
import { HEALTH_TONE, HEALTH_WORD, dotLabel } from './words';

export function HealthDot() {
  const status = useAlertsStore((s) => s.health?.status ?? null);
  const label = dotLabel(status);
  return (
    <a
      href={href.health}
      className="conn health-link"
      title={label}
      aria-label={label}
      data-testid="health-dot"
      data-status={status ?? 'unknown'}
    >
      <span className={`health-dot health-dot-${status ? HEALTH_TONE[status] : 'grey'}`} aria-hidden="true" />
      <span aria-hidden="true">{status ? (status === 'ok' ? 'Healthy' : HEALTH_WORD[status]) : 'Health'}</span>
    </a>
  );
}
