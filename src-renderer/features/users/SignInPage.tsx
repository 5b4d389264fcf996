/**
 * The sign-in page of a server that asks people to sign in (web only): user name and password,
 * POST /auth/login, then the app starts again with the new session (calls and the event stream).
 */
import { useState } from 'react';
import { getClient } from '../../api/instance';
import { signIn } from '../../api/session';
import { Logo } from '../../components/FatalScreen';
import { Field } from '../../components/Field';
import { Form } from '../../components/Form';
import { useDocumentTitle } from '../../lib/hooks';
import { useAppStore } from '../../stores/app';
import { catchUp } from '../../stores/wire';
import '../../styles/users.css';

export function SignInPage() {
  useDocumentTitle('Sign in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const m = {
      ...(username.trim() ? {} : { username: 'Enter your user name' }),
      ...(password ? {} : { password: 'Enter your password' }),
    };
    setMissing(m);
    if (m.username || m.password) return;
    setBusy(true);
    setProblem(null);
    const r = await signIn(username.trim(), password);
    setBusy(false);
    if (!r.ok) {
      setProblem(r.message);
      setPassword('');
      return;
    }
    const client = getClient();
    client.resume();
    await useAppStore.getState().start();
    if (useAppStore.getState().state === 'ready') catchUp();
  };

  return (
    <main className="signin" data-testid="signin-page">
      <Form className="signin-card" aria-labelledby="signin-title" onSubmit={submit}>
        <div className="brand brand-large">
          <Logo size={28} />
          <span>Eclectyc Energy</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">
          This server keeps its energy data for a team: sign in with the name an administrator gave you.
        </p>
        {problem && (
          <p className="callout callout-error" role="alert" data-testid="signin-error">
            {problem}
          </p>
        )}
        <Field id="signin-username" label="User name" error={missing.username}>
          {(c) => (
            <input
              {...c}
              className="input"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="signin-password" label="Password" error={missing.password}>
          {(c) => (
            <input
              {...c}
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">Forgotten your password? An administrator can set a new one.</p>
      </Form>
    </main>
  );
}
