/**
 * Settings → Shared server. Not connected: the server's address, an account there, a name for this
 * desktop and which sites' readings to keep, then Connect (sync.connect), each problem beside the field
 * it concerns. Connected: the server, who this desktop signs in as, its state and last sync, Sync now
 * with the result in words, how often it syncs and which sites it keeps (sync.configure), and
 * Disconnect after a confirmation. A browser on a headless server sees the state only: the link is
 * set up from the desktop app or the command line on the machine itself.
 */
import { useEffect, useRef, useState } from 'react';
import type { SiteSummary, SyncStatus } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { useCan, WhyNot } from '../../components/Can';
import { Field, TextField } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton, Spinner } from '../../components/States';
import { roleName } from '../../lib/access';
import { useNow } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href, useHash } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useSyncStore } from '../../stores/sync';
import '../../styles/sync.css';
import { UndoDialog } from '../undo/UndoDialog';
import { KeptSitesField } from './KeptSitesField';
import {
  connectProblem,
  keptSitesText,
  lastSyncLine,
  roleReach,
  failureHere,
  runResult,
  serverUrlProblem,
  stateLine,
  syncNowHint,
  type ConnectField,
} from './words';

export function SharedServerCard() {
  const q = useQuery('sync-status', () => getClient().call('sync.status', {}));
  const stored = useSyncStore((s) => s.status);
  const status = stored ?? q.data;
  const sites = useQuery('sync-sites', () => getClient().call('sites.list', {}));
  const host = useAppStore((s) => s.info?.host);
  const ref = useRef<HTMLElement>(null);
  const hash = useHash();

  useEffect(() => {
    const store = useSyncStore.getState();
    if (q.data && !store.status) store.answer(q.data, store.events);
  }, [q.data]);
  // #/settings?section=shared-server (the frame's status) scrolls here
  useEffect(() => {
    if (hash.includes('section=shared-server')) ref.current?.scrollIntoView({ block: 'start' });
  }, [hash, status === undefined]);

  return (
    <section
      ref={ref}
      className="card card-pad sync-card"
      aria-labelledby="shared-server-title"
      id="shared-server"
      data-testid="shared-server"
    >
      <h2 id="shared-server-title">Shared server</h2>
      {!status ? (
        q.load === 'error' ? (
          <QueryProblem title="Could not read the link to the shared server" q={q} />
        ) : (
          <Skeleton rows={3} label="Loading the shared server’s state" />
        )
      ) : status.configured ? (
        <Connected status={status} sites={sites.data} inProcess={host !== 'server'} />
      ) : host === 'server' ? (
        <p className="muted">
          This copy is not linked to a shared server. A shared server is set up on the computer that holds the data: in
          the desktop app’s Settings, or with <code>eclectyc sync --server URL</code>.
        </p>
      ) : (
        <ConnectForm status={status} sites={sites.data} />
      )}
    </section>
  );
}

/** The problem of "only the sites I choose" with none ticked. */
const NO_SITE = 'Tick at least one site, or keep every site';

function ConnectForm({ status, sites }: { status: SyncStatus; sites: SiteSummary[] | null }) {
  const can = useCan();
  // after a disconnect, the last server and account are offered again
  const last = useSyncStore((s) => s.lastLink);
  const [server, setServer] = useState(status.server ?? last?.server ?? '');
  const [username, setUsername] = useState(status.user?.name ?? last?.username ?? '');
  const [password, setPassword] = useState('');
  const [clientName, setClientName] = useState(status.clientName);
  const [kept, setKept] = useState<string[] | null>(status.keptSites);
  // a refused connect says why beside the field it concerns; the password is typed again only when
  // it was the problem (an unreachable server keeps it)
  const { busy, errors, setErrors, submit } = useFormSubmit((e) => {
    const p = connectProblem(e);
    if (p.password) setPassword('');
    return p;
  });
  const readOnly = !can('sync.connect');

  const connect = () => {
    const local: Partial<Record<ConnectField, string>> = {};
    const urlProblem = serverUrlProblem(server);
    if (urlProblem) local.server = urlProblem;
    if (!username.trim()) local.username = 'Type your user name on the shared server';
    if (!password) local.password = 'Type your password on the shared server';
    if (!clientName.trim()) local.clientName = 'Give this desktop a name people will recognise, e.g. Anna’s laptop';
    if (kept !== null && kept.length === 0) local.sites = NO_SITE;
    return submit(local, async () => {
      const since = useSyncStore.getState().events;
      const next = await getClient().call('sync.connect', {
        server: server.trim(),
        username: username.trim(),
        password,
        clientName: clientName.trim(),
        sites: kept,
      });
      setPassword('');
      useSyncStore.getState().answer(next, since);
      useAppStore.getState().toast({ kind: 'success', title: `Connected to ${next.server ?? server.trim()}` });
    });
  };

  return (
    <Form className="form sync-connect" onSubmit={connect} aria-labelledby="shared-server-title">
      <p className="muted sync-intro">
        Share this portfolio with your team through a shared server: imports, sites, meters, tariffs and alerts made on
        one desktop reach every other. This desktop keeps its own copy and keeps working offline; changes wait here
        until the server can be reached.
      </p>
      <WhyNot method="sync.connect" />
      <TextField
        id="sync-server"
        label="Server address"
        value={server}
        onChange={setServer}
        error={errors.server}
        placeholder="https://sync.example.org"
        hint="The address of the shared server (eclectyc serve), as your administrator gave it."
      />
      <div className="sync-pair">
        <TextField
          id="sync-username"
          label="User name"
          value={username}
          onChange={setUsername}
          error={errors.username}
        />
        <Field id="sync-password" label="Password" error={errors.password}>
          {(c) => (
            <input
              {...c}
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                // a password typed again is no longer the one refused
                if (errors.password) setErrors(({ password: _, ...rest }) => rest);
              }}
              data-testid="sync-password"
            />
          )}
        </Field>
      </div>
      <TextField
        id="sync-client-name"
        label="Name of this desktop"
        value={clientName}
        onChange={setClientName}
        error={errors.clientName}
        hint="Shown to the team beside this desktop’s changes and in conflicts, e.g. Anna’s laptop."
      />
      <KeptSitesField id="sync-sites" sites={sites} value={kept} onChange={setKept} error={errors.sites} />
      {errors.form && (
        <p className="callout callout-error small" role="alert" data-testid="sync-connect-error">
          {errors.form}
        </p>
      )}
      {!readOnly && (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sync-connect">
            {busy ? 'Connecting…' : 'Connect'}
          </button>
          {busy && <Spinner inline label="Signing in and making the first sync…" />}
        </div>
      )}
    </Form>
  );
}

function Connected({
  status,
  sites,
  inProcess,
}: {
  status: SyncStatus;
  sites: SiteSummary[] | null;
  /** Settings may be changed here (the desktop app); a browser only reads them. */
  inProcess: boolean;
}) {
  const can = useCan();
  const now = useNow(true, 30_000);
  const [run, setRun] = useState<{
    busy: boolean;
    result: ReturnType<typeof runResult> | null;
    error: string | null;
  }>({
    busy: false,
    result: null,
    error: null,
  });
  const [leaving, setLeaving] = useState<{ open: boolean; busy: boolean; error: string | null }>({
    open: false,
    busy: false,
    error: null,
  });
  const editable = inProcess && can('sync.configure');
  const syncing = run.busy || status.state === 'syncing';
  const signInRow = editable && status.user !== null;
  /** The sign-in row asked for by hand (it opens by itself when a sync failed). */
  const [signInAsked, setSignInAsked] = useState(false);
  const showSignIn = signInRow && (signInAsked || status.state === 'error');

  const syncNow = async () => {
    setRun({ busy: true, result: null, error: null });
    try {
      const r = await getClient().call('sync.now', {});
      setRun({ busy: false, result: runResult(r), error: null });
      void useSyncStore.getState().fetch();
    } catch (e) {
      setRun({ busy: false, result: null, error: errorMessage(e) });
      void useSyncStore.getState().fetch();
    }
  };

  const disconnect = async () => {
    setLeaving((l) => ({ ...l, busy: true, error: null }));
    try {
      const since = useSyncStore.getState().events;
      useSyncStore.getState().answer(await getClient().call('sync.disconnect', {}), since);
      setLeaving({ open: false, busy: false, error: null });
      useAppStore.getState().toast({ kind: 'success', title: 'Disconnected from the shared server' });
    } catch (e) {
      setLeaving((l) => ({ ...l, busy: false, error: errorMessage(e) }));
    }
  };

  return (
    <div className="sync-connected">
      <dl className="source-facts sync-facts" data-testid="sync-facts">
        <div>
          <dt>Server</dt>
          <dd data-testid="sync-server-url">{status.server}</dd>
        </div>
        <div>
          <dt>Signed in as</dt>
          <dd>
            <span data-testid="sync-user">
              {status.user ? `${status.user.name} (${roleName(status.user.role)})` : 'Signed out'}
            </span>
            {signInRow && !showSignIn && (
              <>
                {' · '}
                <button type="button" className="btn btn-link" onClick={() => setSignInAsked(true)}>
                  Sign in again…
                </button>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>This desktop</dt>
          <dd>{status.clientName}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd data-testid="sync-state" data-state={status.state}>
            {/* the reason of a failure stands once, beside Sign in, where that row is shown */}
            {status.state === 'error' && signInRow ? 'Sync error' : stateLine(status, now)}
          </dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{lastSyncLine(status, now)}</dd>
        </div>
        <div>
          <dt>Conflicts</dt>
          <dd>
            {status.openConflicts === 0 ? (
              'None open'
            ) : (
              <a href={href.syncConflicts} data-testid="sync-open-conflicts">
                {status.openConflicts === 1 ? '1 to resolve' : `${status.openConflicts} to resolve`}
              </a>
            )}
          </dd>
        </div>
      </dl>
      {status.user && (
        <p
          className={`callout small ${status.user.role === 'viewer' ? 'callout-warn' : 'callout-info'}`}
          data-testid="sync-role-reach"
        >
          {roleReach(status.user.role)}
        </p>
      )}
      {showSignIn && status.user && (
        <SignInAgain status={status} user={status.user.name} onDone={() => setSignInAsked(false)} />
      )}
      <div className="maint-row">
        <div>
          <div className="strong">Sync now</div>
          <p className="muted small">{syncNowHint(status)}</p>
        </div>
        <div className="maint-action">
          <button
            type="button"
            className="btn"
            disabled={syncing}
            onClick={() => void syncNow()}
            data-testid="sync-now"
          >
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
          <span className="maint-result" aria-live="polite" data-testid="sync-result">
            {syncing && <Spinner inline label="Syncing…" />}
            {!syncing && run.result && !run.result.conflicts && <span className="ok-text">{run.result.text}</span>}
            {/* new conflicts are not a success: said as a warning, leading to them */}
            {!syncing && run.result?.conflicts && (
              <span className="warn-text">
                {run.result.text}; <a href={href.syncConflicts}>{run.result.conflicts}</a>
              </span>
            )}
            {!syncing && run.error && !(signInRow && run.error === status.lastError) && (
              <span className="error-message">{run.error}</span>
            )}
          </span>
        </div>
      </div>
      {editable ? (
        <SyncOptions status={status} sites={sites} />
      ) : (
        <p className="muted small">
          Readings kept: {keptSitesText(status.keptSites, sites ?? [])} · syncs every {status.everyMinutes} minutes
        </p>
      )}
      {editable && can('sync.disconnect') && (
        <div className="maint-row">
          <div>
            <div className="strong">Disconnect</div>
            <p className="muted small">
              Stops syncing and signs this desktop out of the server. Everything stays on this desktop; changes not yet
              sent stay waiting here.
            </p>
          </div>
          <div className="maint-action">
            <button
              type="button"
              className="btn btn-danger-quiet"
              onClick={() => setLeaving({ open: true, busy: false, error: null })}
              data-testid="sync-disconnect"
            >
              Disconnect…
            </button>
          </div>
        </div>
      )}
      <UndoDialog
        open={leaving.open}
        title="Disconnect from the shared server?"
        testId="sync-disconnect-dialog"
        confirm="Disconnect"
        busy={leaving.busy}
        ready
        error={leaving.error}
        onConfirm={() => void disconnect()}
        onClose={() => setLeaving({ open: false, busy: false, error: null })}
      >
        <p>
          This desktop stops syncing with {status.server}. Its data stays here and keeps working.
          {status.waiting > 0
            ? ` ${status.waiting === 1 ? '1 change has' : `${status.waiting} changes have`} not reached the server yet: they stay waiting and are sent if you connect again.`
            : ' Nothing is waiting to be sent.'}
        </p>
      </UndoDialog>
    </div>
  );
}

/**
 * Signing in again as the same account (after the server ended the session, or the password was
 * changed there): shown by itself when the last sync failed, else when asked for.
 */
function SignInAgain({ status, user, onDone }: { status: SyncStatus; user: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const { busy, errors, setErrors, submit } = useFormSubmit((e) => {
    const p = connectProblem(e);
    if (p.password) setPassword('');
    return p;
  });
  const failed = status.state === 'error';
  const problem = errors.password ?? errors.server ?? errors.form;

  const signIn = () =>
    submit(password ? {} : { password: 'Type your password on the shared server' }, async () => {
      const since = useSyncStore.getState().events;
      const next = await getClient().call('sync.connect', {
        server: status.server ?? '',
        username: user,
        password,
        clientName: status.clientName,
        sites: status.keptSites,
      });
      setPassword('');
      onDone();
      useSyncStore.getState().answer(next, since);
      useAppStore.getState().toast({ kind: 'success', title: `Signed in again as ${user}` });
    });

  return (
    <div className={`maint-row sync-signin${failed ? ' sync-signin-failed' : ''}`} data-testid="sync-signin-again">
      <div>
        <div className="strong">{failed ? 'The last sync failed' : 'Sign in again'}</div>
        <p className={failed ? 'error-message small' : 'muted small'} data-testid="sync-last-error">
          {failed
            ? failureHere(status.lastError)
            : `If the server ended this desktop’s session or ${user}’s password was changed there, sign in again here.`}
        </p>
      </div>
      <div className="maint-action">
        <Form className="sync-signin-form" onSubmit={signIn} aria-label={`Sign in again as ${user}`}>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            aria-label={`Password of ${user} on the shared server`}
            placeholder={`${user}’s password`}
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              if (errors.password) setErrors(({ password: _, ...rest }) => rest);
            }}
            data-testid="sync-signin-password"
          />
          <button type="submit" className="btn" disabled={busy} data-testid="sync-signin">
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          {problem && (
            <span className="field-error" role="alert" data-testid="sync-signin-error">
              {problem}
            </span>
          )}
        </Form>
      </div>
    </div>
  );
}

/** How often this desktop syncs, its name, and which sites' readings it keeps (sync.configure). */
function SyncOptions({ status, sites }: { status: SyncStatus; sites: SiteSummary[] | null }) {
  const [every, setEvery] = useState(String(status.everyMinutes));
  const [name, setName] = useState(status.clientName);
  const [kept, setKept] = useState<string[] | null>(status.keptSites);
  const { busy, errors, setErrors, submit } = useFormSubmit((e) => ({ form: errorMessage(e) }));
  const toast = useAppStore((s) => s.toast);

  const sameSites =
    (kept === null && status.keptSites === null) ||
    (kept !== null &&
      status.keptSites !== null &&
      kept.length === status.keptSites.length &&
      kept.every((u) => status.keptSites?.includes(u)));
  const dirty = every.trim() !== String(status.everyMinutes) || name.trim() !== status.clientName || !sameSites;

  const save = () => {
    const local: Record<string, string> = {};
    const n = Number(every.trim());
    if (!/^\d+$/.test(every.trim()) || n < 1 || n > 1440) local.every = 'Enter whole minutes from 1 to 1,440 (a day)';
    if (!name.trim()) local.name = 'Give this desktop a name people will recognise';
    if (kept !== null && kept.length === 0) local.sites = NO_SITE;
    return submit(local, async () => {
      const since = useSyncStore.getState().events;
      const next = await getClient().call('sync.configure', {
        everyMinutes: n,
        ...(name.trim() !== status.clientName ? { clientName: name.trim() } : {}),
        ...(sameSites ? {} : { sites: kept }),
      });
      useSyncStore.getState().answer(next, since);
      toast({ kind: 'success', title: 'Sync settings saved' });
    });
  };

  return (
    <Form className="form sync-options" onSubmit={save} aria-label="Sync settings">
      <h3 className="form-section-title">Sync settings</h3>
      <Field id="sync-every" label="Sync every" error={errors.every}>
        {(c) => (
          <span className="input-with-unit">
            <input
              {...c}
              className="input input-narrow"
              inputMode="numeric"
              value={every}
              onChange={(e) => setEvery(e.currentTarget.value)}
              data-testid="sync-every"
            />
            <span className="muted">minutes</span>
          </span>
        )}
      </Field>
      <TextField id="sync-rename" label="Name of this desktop" value={name} onChange={setName} error={errors.name} />
      <KeptSitesField id="sync-kept" sites={sites} value={kept} onChange={setKept} error={errors.sites} />
      {errors.form && (
        <p className="callout callout-error small" role="alert">
          {errors.form}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !dirty} data-testid="sync-save">
          {busy ? 'Saving…' : 'Save sync settings'}
        </button>
        {dirty && !busy && (
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setEvery(String(status.everyMinutes));
              setName(status.clientName);
              setKept(status.keptSites);
              setErrors({});
            }}
          >
            Undo changes
          </button>
        )}
      </div>
    </Form>
  );
}
