/**
 * The frame's header: who is signed in (name and role) and "Sign out", for a browser signed in
 * with a session. Nothing for the local admin (desktop, loopback) or a token.
 */
import { useState } from 'react';
import { getClient } from '../../api/instance';
import { signOut } from '../../api/session';
import { roleName } from '../../lib/access';
import { useAppStore } from '../../stores/app';

export function UserBadge() {
  const me = useAppStore((s) => s.me);
  const [busy, setBusy] = useState(false);
  if (!me || me.via !== 'session' || !me.name) return null;
  return (
    <span className="user-badge" data-testid="user-badge">
      <span className="user-badge-name" title={me.name}>
        {me.name}
      </span>
      <span className="user-badge-role" data-testid="user-role">
        {roleName(me.role)}
      </span>
      <button
        type="button"
        className="btn btn-small user-badge-out"
        disabled={busy}
        data-testid="sign-out"
        onClick={() => {
          setBusy(true);
          void signOut().then(() => {
            getClient().pause();
            useAppStore.getState().needSignIn();
          });
        }}
      >
        Sign out
      </button>
    </span>
  );
}
