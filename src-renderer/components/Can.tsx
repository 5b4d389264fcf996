/** The signed-in role's reach in the screens: `useCan()` for buttons, `<WhyNot>` where they are left out. */
import { allowed, whyNot, type GatedMethod } from '../lib/access';
import { useAppStore } from '../stores/app';

/** Whether the caller may use a method (their role from `auth.me`, else from `app.info`). */
export function useCan(): (method: GatedMethod) => boolean {
  const role = useAppStore((s) => s.me?.role ?? s.info?.role);
  return (method) => allowed(role, method);
}

/** A short line saying why an action is not offered ("Viewers can look but not change: ask an administrator"). */
export function WhyNot({ method, className }: { method: GatedMethod; className?: string }) {
  const role = useAppStore((s) => s.me?.role ?? s.info?.role);
  const text = whyNot(role, method);
  if (!text) return null;
  return (
    <p className={`callout callout-info small why-not ${className ?? ''}`} data-testid="why-not">
      {text}
    </p>
  );
}
