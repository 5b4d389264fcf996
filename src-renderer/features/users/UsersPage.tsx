/**
 * People and access (#/settings/users, administrators): the server's users (role, whether they may
 * sign in, last sign-in, sessions) — add, change role, set a new password, disable or enable,
 * remove — and API tokens for automation — make one (shown once), revoke.
 */
import { useState } from 'react';
import { AppError } from '../../../src-shared/contract/errors';
import type { Role, TokenSummary, UserSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { allowed, roleName } from '../../lib/access';
import { copyText } from '../../lib/clipboard';
import { formatInt, formatUkDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery, type Query } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { passwordHint, passwordProblems } from './words';
import '../../styles/users.css';

const ROLES: Role[] = ['viewer', 'manager', 'admin'];

/**
 * A failure beside the field it is about (a name taken already is CONFLICT from the host); other
 * failures as a toast titled `title`.
 */
function nameClash(field: string, title: string): (e: unknown) => Record<string, string> {
  return (e) => {
    if (e instanceof AppError && e.code === 'CONFLICT') return { [field]: e.message };
    useAppStore.getState().toastError(title, e);
    return {};
  };
}
const ROLE_HINT =
  'Viewers look; managers also import, edit sites, meters and alerts; administrators also manage settings, tariffs and people.';

function RoleSelect({
  id,
  value,
  onChange,
  label,
  disabled,
  ...aria
}: {
  id?: string;
  value: Role;
  onChange: (r: Role) => void;
  label?: string;
  disabled?: boolean;
  'aria-invalid'?: true | undefined;
  'aria-describedby'?: string | undefined;
}) {
  return (
    <select
      {...aria}
      id={id}
      className="input people-role"
      value={value}
      aria-label={label}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value as Role)}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {roleName(r)}
        </option>
      ))}
    </select>
  );
}

/** A question in a table row with the action (in red) and "Keep". */
function InlineConfirm({
  label,
  question,
  action,
  testId,
  onConfirm,
  onCancel,
}: {
  label: string;
  question: string;
  action: string;
  testId: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <span className="people-actions" role="group" aria-label={label}>
      <span className="small">{question}</span>
      <button type="button" className="btn btn-small btn-danger" onClick={onConfirm} data-testid={testId}>
        {action}
      </button>
      <button type="button" className="btn btn-small btn-quiet" onClick={onCancel}>
        Keep
      </button>
    </span>
  );
}

export function UsersPage() {
  useDocumentTitle('People and access');
  const role = useAppStore((s) => s.info?.role);
  const admin = allowed(role, 'users.list');
  return (
    <div className="page" data-testid="users-page">
      <Breadcrumb steps={[<a href={href.settings}>Settings</a>, <span>People and access</span>]} />
      <PageHeader
        title="People and access"
        subtitle="Who can sign in to this server and what they may do, and API tokens for scripts. Times in UK local time."
      />
      {admin ? (
        <>
          <PeopleCard />
          <TokensCard />
        </>
      ) : (
        <section className="card">
          <EmptyState title="Only an administrator manages people and access">
            Ask an administrator to add someone, change a role or make an API token.
          </EmptyState>
        </section>
      )}
    </div>
  );
}

function PeopleCard() {
  const q = useQuery('users', () => getClient().call('users.list', {}));
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const toast = useAppStore((s) => s.toast);
  const toastError = useAppStore((s) => s.toastError);

  const update = async (args: { username: string; role?: Role; disabled?: boolean }, done: string) => {
    try {
      await getClient().call('users.update', args);
      toast({ kind: 'success', title: done });
    } catch (e) {
      toastError(`Could not change ${args.username}`, e);
    }
    q.reload();
  };
  const remove = async (username: string) => {
    setRemoving(null);
    try {
      await getClient().call('users.remove', { username });
      toast({ kind: 'success', title: `${username} removed` });
    } catch (e) {
      toastError(`Could not remove ${username}`, e);
    }
    q.reload();
  };

  return (
    <section className="card card-pad" aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <UsersTable
        q={q}
        removing={removing}
        onRole={(u, r) => void update({ username: u.username, role: r }, `${u.username} is now ${roleName(r)}`)}
        onDisabled={(u) =>
          void update(
            { username: u.username, disabled: !u.disabled },
            u.disabled ? `${u.username} may sign in again` : `${u.username} is disabled and signed out`,
          )
        }
        onPassword={(u) => setPasswordFor(u.username)}
        onRemove={(u) => setRemoving(u.username)}
        onRemoveConfirmed={(u) => void remove(u.username)}
        onRemoveCancelled={() => setRemoving(null)}
      />
      {passwordFor && <NewPasswordForm username={passwordFor} onDone={() => setPasswordFor(null)} />}
      <AddUserForm onAdded={q.reload} />
    </section>
  );
}

function UsersTable({
  q,
  removing,
  onRole,
  onDisabled,
  onPassword,
  onRemove,
  onRemoveConfirmed,
  onRemoveCancelled,
}: {
  q: Query<UserSummary[]>;
  removing: string | null;
  onRole: (u: UserSummary, r: Role) => void;
  onDisabled: (u: UserSummary) => void;
  onPassword: (u: UserSummary) => void;
  onRemove: (u: UserSummary) => void;
  onRemoveConfirmed: (u: UserSummary) => void;
  onRemoveCancelled: () => void;
}) {
  if (q.load === 'error' && !q.data) return <QueryProblem title="Could not load the users" q={q} />;
  if (!q.data) return <Skeleton rows={3} label="Loading users" />;
  return (
    <DataTable
      rows={q.data}
      rowKey={(u) => u.username}
      testId="users-table"
      exportName={exportName('users')}
      rowProps={(u) => ({ 'data-testid': 'user-row', 'data-username': u.username })}
      defaultSort={{ column: 0, dir: 'asc' }}
      empty={
        <EmptyState title="No users yet" icon="👤">
          Add the first person below. Once a user exists, everyone opening this server in a browser signs in.
        </EmptyState>
      }
      columns={[
        {
          header: 'Name',
          className: 'strong',
          rowHeader: true,
          cell: (u) => u.username,
          sortValue: (u) => u.username,
          csv: (u) => u.username,
        },
        {
          header: 'Role',
          cell: (u) => <RoleSelect value={u.role} label={`Role of ${u.username}`} onChange={(r) => onRole(u, r)} />,
          sortValue: (u) => ROLES.indexOf(u.role),
          csv: (u) => roleName(u.role),
        },
        {
          header: 'Status',
          cell: (u) => (
            <span className={`badge badge-tone-${u.disabled ? 'grey' : 'green'}`}>
              {u.disabled ? 'Disabled' : 'May sign in'}
            </span>
          ),
          csv: (u) => (u.disabled ? 'Disabled' : 'May sign in'),
        },
        {
          header: 'Last signed in',
          cell: (u) => (u.lastLoginAt ? formatUkDateTime(u.lastLoginAt) : 'Never'),
          sortValue: (u) => u.lastLoginAt,
          csv: timeColumns<UserSummary>('Last signed in', (u) => u.lastLoginAt),
        },
        {
          header: 'Sessions',
          num: true,
          cell: (u) => formatInt(u.activeSessions),
          sortValue: (u) => u.activeSessions,
          csv: (u) => u.activeSessions,
        },
        {
          header: <span className="sr-only">Actions</span>,
          cell: (u) =>
            removing === u.username ? (
              <InlineConfirm
                label={`Confirm removing ${u.username}`}
                question={`Remove ${u.username} and sign them out?`}
                action="Remove"
                testId="user-remove-confirm"
                onConfirm={() => onRemoveConfirmed(u)}
                onCancel={onRemoveCancelled}
              />
            ) : (
              <span className="people-actions">
                <button type="button" className="btn btn-small" onClick={() => onPassword(u)}>
                  Set password
                </button>
                <button type="button" className="btn btn-small" onClick={() => onDisabled(u)}>
                  {u.disabled ? 'Enable' : 'Disable'}
                </button>
                <button type="button" className="btn btn-small btn-quiet" onClick={() => onRemove(u)}>
                  Remove
                </button>
              </span>
            ),
        },
      ]}
    />
  );
}

/** The two password fields with the strength hint, shared by adding a user and setting a password. */
function PasswordFields({
  prefix,
  password,
  again,
  errors,
  onPassword,
  onAgain,
}: {
  prefix: string;
  password: string;
  again: string;
  errors: Record<string, string>;
  onPassword: (v: string) => void;
  onAgain: (v: string) => void;
}) {
  return (
    <>
      <Field id={`${prefix}-password`} label="Password" error={errors.password} hint={passwordHint(password)}>
        {(c) => (
          <input
            {...c}
            className="input"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => onPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field id={`${prefix}-again`} label="Password again" error={errors.again}>
        {(c) => (
          <input
            {...c}
            className="input"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => onAgain(e.currentTarget.value)}
          />
        )}
      </Field>
    </>
  );
}

function AddUserForm({ onAdded }: { onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const { busy, errors, submit } = useFormSubmit(nameClash('username', 'Could not add the user'));
  const toast = useAppStore((s) => s.toast);

  const add = () =>
    submit(
      { ...(username.trim() ? {} : { username: 'enter a user name' }), ...passwordProblems(password, again) },
      async () => {
        const u = await getClient().call('users.create', { username: username.trim(), role, password });
        toast({ kind: 'success', title: `${u.username} added as ${roleName(u.role)}` });
        setUsername('');
        setPassword('');
        setAgain('');
        onAdded();
      },
    );

  return (
    <Form className="form" aria-labelledby="add-user-title" onSubmit={add} data-testid="add-user-form">
      <h3 id="add-user-title" className="form-section-title">
        Add a person
      </h3>
      <div className="people-add">
        <Field id="new-username" label="User name" error={errors.username} hint="Letters, digits, . _ @ -">
          {(c) => (
            <input
              {...c}
              className="input"
              autoComplete="off"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="new-role" label="Role" error={errors.role} hint={ROLE_HINT}>
          {(c) => <RoleSelect {...c} value={role} onChange={setRole} />}
        </Field>
        <PasswordFields
          prefix="new"
          password={password}
          again={again}
          errors={errors}
          onPassword={setPassword}
          onAgain={setAgain}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="add-user">
          {busy ? 'Adding…' : 'Add person'}
        </button>
      </div>
    </Form>
  );
}

function NewPasswordForm({ username, onDone }: { username: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const { busy, errors, submit } = useFormSubmit('Could not set the password');
  const toast = useAppStore((s) => s.toast);
  const save = () =>
    submit(passwordProblems(password, again), async () => {
      await getClient().call('users.update', { username, password });
      toast({
        kind: 'success',
        title: `New password set for ${username}`,
        message: 'They were signed out everywhere.',
      });
      onDone();
    });
  return (
    <Form className="form callout callout-info" aria-labelledby="set-password-title" onSubmit={save}>
      <h3 id="set-password-title" className="form-section-title">
        New password for {username}
      </h3>
      <p className="small muted">They are signed out everywhere and sign in again with the new password.</p>
      <div className="people-add">
        <PasswordFields
          prefix="reset"
          password={password}
          again={again}
          errors={errors}
          onPassword={setPassword}
          onAgain={setAgain}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Set password
        </button>
        <button type="button" className="btn btn-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

function TokensCard() {
  const q = useQuery('tokens', () => getClient().call('tokens.list', {}));
  const [revoking, setRevoking] = useState<string | null>(null);
  const toast = useAppStore((s) => s.toast);
  const toastError = useAppStore((s) => s.toastError);

  const revoke = async (name: string) => {
    setRevoking(null);
    try {
      await getClient().call('tokens.revoke', { name });
      toast({ kind: 'success', title: `Token “${name}” revoked` });
    } catch (e) {
      toastError(`Could not revoke “${name}”`, e);
    }
    q.reload();
  };

  return (
    <section className="card card-pad" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted small">
        For scripts and other systems: send <code>Authorization: Bearer …</code> with each request. A token acts with
        its role until it is revoked.
      </p>
      {q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not load the tokens" q={q} />
      ) : !q.data ? (
        <Skeleton rows={2} label="Loading tokens" />
      ) : (
        <DataTable<TokenSummary>
          rows={q.data}
          rowKey={(t) => t.name}
          testId="tokens-table"
          exportName={exportName('api-tokens')}
          rowProps={(t) => ({ 'data-testid': 'token-row', 'data-name': t.name })}
          empty={<p className="muted">No API tokens yet.</p>}
          columns={[
            {
              header: 'Name',
              className: 'strong',
              rowHeader: true,
              cell: (t) => t.name,
              sortValue: (t) => t.name,
              csv: (t) => t.name,
            },
            { header: 'Role', cell: (t) => roleName(t.role), csv: (t) => roleName(t.role) },
            {
              header: 'Made',
              cell: (t) => `${formatUkDateTime(t.createdAt)} by ${t.createdBy}`,
              sortValue: (t) => t.createdAt,
              csv: [
                ...timeColumns<TokenSummary>('Made', (t) => t.createdAt),
                { header: 'Made by', value: (t) => t.createdBy },
              ],
            },
            {
              header: 'Last used',
              cell: (t) => (t.lastUsedAt ? formatUkDateTime(t.lastUsedAt) : 'Never'),
              sortValue: (t) => t.lastUsedAt,
              csv: timeColumns<TokenSummary>('Last used', (t) => t.lastUsedAt),
            },
            {
              header: 'Status',
              cell: (t) =>
                t.revokedAt ? (
                  <span className="badge badge-tone-grey">Revoked {formatUkDateTime(t.revokedAt)}</span>
                ) : (
                  <span className="badge badge-tone-green">Active</span>
                ),
              csv: [
                { header: 'Status', value: (t) => (t.revokedAt ? 'Revoked' : 'Active') },
                ...timeColumns<TokenSummary>('Revoked', (t) => t.revokedAt),
              ],
            },
            {
              header: <span className="sr-only">Actions</span>,
              cell: (t) =>
                t.revokedAt ? null : revoking === t.name ? (
                  <InlineConfirm
                    label={`Confirm revoking ${t.name}`}
                    question="Revoke? Scripts using it stop working."
                    action="Revoke"
                    testId="token-revoke-confirm"
                    onConfirm={() => void revoke(t.name)}
                    onCancel={() => setRevoking(null)}
                  />
                ) : (
                  <button type="button" className="btn btn-small btn-quiet" onClick={() => setRevoking(t.name)}>
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}
      <NewTokenForm onMade={q.reload} />
    </section>
  );
}

function NewTokenForm({ onMade }: { onMade: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const { busy, errors, submit } = useFormSubmit(nameClash('name', 'Could not make the token'));

  const create = () =>
    submit(name.trim() ? {} : { name: 'enter a name, e.g. "BMS export"' }, async () => {
      const t = await getClient().call('tokens.create', { name: name.trim(), role });
      setMade({ name: t.name, token: t.token });
      setCopied('idle');
      setName('');
      onMade();
    });

  return (
    <>
      {made && (
        <div className="callout callout-warn token-once" role="status" data-testid="token-once">
          <strong>Copy the token “{made.name}” now: it will not be shown again.</strong>
          <code data-testid="token-value">{made.token}</code>
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void copyText(made.token).then((ok) => setCopied(ok ? 'done' : 'failed'))}
            >
              Copy
            </button>
            <button type="button" className="btn btn-small btn-quiet" onClick={() => setMade(null)}>
              I have copied it
            </button>
            <span className="muted small" aria-live="polite">
              {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Could not copy: select the text above' : ''}
            </span>
          </div>
        </div>
      )}
      <Form className="form" aria-labelledby="new-token-title" onSubmit={create} data-testid="new-token-form">
        <h3 id="new-token-title" className="form-section-title">
          Make a token
        </h3>
        <div className="people-add">
          <Field id="token-name" label="Name" error={errors.name} hint="What uses it, e.g. “BMS export”">
            {(c) => (
              <input
                {...c}
                className="input"
                autoComplete="off"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field id="token-role" label="Role" error={errors.role}>
            {(c) => <RoleSelect {...c} value={role} onChange={setRole} />}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="make-token">
            {busy ? 'Making…' : 'Make token'}
          </button>
        </div>
      </Form>
    </>
  );
}
