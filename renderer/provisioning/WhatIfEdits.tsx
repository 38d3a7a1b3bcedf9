import { useEffect, useId, useState } from 'react';
import type { SnapshotSummary, UserRow } from '../../shared/api.ts';
import type { DirectoryEdit } from '../../shared/api/provisioning.ts';
import { api } from '../api-client.ts';
import { useProvisioningUi } from '../state/provisioning.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

type EditKind = DirectoryEdit['kind'];

/** the backend takes at most 100 edits per cycle (shared/api/provisioning.ts cycleInput.edits) */
const MAX_EDITS = 100;

/** Source attributes a mover usually changes, offered as suggestions; any source attribute name is accepted. */
const MOVER_ATTRIBUTES = ['department', 'jobTitle', 'companyName', 'officeLocation', 'city', 'country', 'manager', 'employeeId', 'mobilePhone', 'accountEnabled'];

const JOINER_FIELDS = [
  { name: 'userPrincipalName', label: 'User principal name', placeholder: 'new.hire@contoso.com', required: true },
  { name: 'displayName', label: 'Display name', placeholder: 'New Hire', required: true },
  { name: 'givenName', label: 'First name (givenName)', placeholder: 'New', required: false },
  { name: 'surname', label: 'Last name (surname)', placeholder: 'Hire', required: false },
  { name: 'mail', label: 'Mail', placeholder: 'new.hire@contoso.com', required: false },
  { name: 'department', label: 'Department', placeholder: 'Sales', required: false },
] as const;
type JoinerField = (typeof JOINER_FIELDS)[number]['name'];

const latestSnapshot = (snapshots: readonly SnapshotSummary[]) =>
  snapshots.reduce<SnapshotSummary | null>((best, s) => (!best || s.fetchedAt > best.fetchedAt || (s.fetchedAt === best.fetchedAt && s.id > best.id) ? s : best), null);

const userName = (u: UserRow) => u.userPrincipalName ?? u.displayName ?? u.id;

/**
 * "Rehearse changes": joiners, movers and leavers applied to the directory for an incremental cycle only, so the
 * admin sees what Entra would send when someone joins, moves or leaves, without touching the snapshot.
 */
export function WhatIfEdits({ snapshots, disabled }: { snapshots: readonly SnapshotSummary[]; disabled: boolean }) {
  const { edits, addEdit, removeEdit } = useProvisioningUi();
  const [error, onError] = useState<string | null>(null);
  const [kind, setKind] = useState<EditKind>('leaver');
  const full = edits.length >= MAX_EDITS;
  const snapshot = latestSnapshot(snapshots);
  const add = (edit: DirectoryEdit, summary: string) => {
    onError(null);
    addEdit(edit, summary);
  };
  return (
    <section className="prov-panel prov-whatif" aria-labelledby="prov-whatif-title">
      <h2 id="prov-whatif-title">Rehearse changes</h2>
      <p className="muted">Joiners, movers and leavers applied to the latest snapshot for this cycle only; the snapshot is not changed.</p>
      {error && (
        <p role="alert" className="prov-whatif-error">
          {error}
        </p>
      )}
      {edits.length === 0 ? (
        <p className="muted">No changes yet: the cycle sends only what differs between the snapshots.</p>
      ) : (
        <ul className="prov-whatif-list" aria-label="Rehearsed changes">
          {edits.map((e) => (
            <li key={e.key}>
              <span>{e.summary}</span>
              <button type="button" onClick={() => removeEdit(e.key)} {...disabledBecause(disabled && 'Wait for the dry run or cycle in progress')} aria-label={`Remove ${e.summary}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <fieldset className="prov-whatif-form" disabled={disabled || full}>
        <legend>Add a change</legend>
        <div role="radiogroup" aria-label="Kind of change" className="prov-cycle-choices">
          {(
            [
              ['leaver', 'Leaver'],
              ['mover', 'Mover'],
              ['joiner', 'Joiner'],
            ] as const
          ).map(([id, label]) => (
            <label key={id}>
              <input type="radio" name="prov-whatif-kind" checked={kind === id} onChange={() => setKind(id)} />
              {label}
            </label>
          ))}
        </div>
        {full && <p className="muted">A cycle takes at most {MAX_EDITS} changes.</p>}
        {kind === 'leaver' && <LeaverForm snapshot={snapshot} onAdd={add} onError={onError} />}
        {kind === 'mover' && <MoverForm snapshot={snapshot} onAdd={add} onError={onError} />}
        {kind === 'joiner' && <JoinerForm onAdd={add} />}
      </fieldset>
    </section>
  );
}

type AddFn = (edit: DirectoryEdit, summary: string) => void;

function LeaverForm({ snapshot, onAdd, onError }: { snapshot: SnapshotSummary | null; onAdd: AddFn; onError(message: string): void }) {
  const [user, setUser] = useState<UserRow | null>(null);
  const [how, setHow] = useState<'disable' | 'delete'>('disable');
  const howId = useId();
  return (
    <div className="prov-whatif-fields">
      <UserPicker snapshot={snapshot} user={user} onPick={setUser} onError={onError} />
      <label htmlFor={howId}>What happens in Entra</label>
      <select id={howId} value={how} onChange={(e) => setHow(e.target.value === 'delete' ? 'delete' : 'disable')}>
        <option value="disable">Account disabled (accountEnabled false)</option>
        <option value="delete">User deleted</option>
      </select>
      <button
        type="button"
        {...disabledBecause(!user && 'Pick the user who leaves')}
        onClick={() => {
          if (!user) return;
          onAdd({ kind: 'leaver', userId: user.id, how }, `Leaver: ${userName(user)} — ${how}`);
          setUser(null);
        }}
      >
        Add leaver
      </button>
    </div>
  );
}

/** A typed value as the source attribute holds it: accountEnabled is a boolean, an empty value clears the attribute. */
function moverValue(attribute: string, text: string): string | boolean | null {
  if (text.trim() === '') return null;
  if (attribute === 'accountEnabled' && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
  return text;
}

function MoverForm({ snapshot, onAdd, onError }: { snapshot: SnapshotSummary | null; onAdd: AddFn; onError(message: string): void }) {
  const [user, setUser] = useState<UserRow | null>(null);
  const [attribute, setAttribute] = useState('department');
  const [value, setValue] = useState('');
  const attrId = useId();
  const valueId = useId();
  const listId = useId();
  const name = attribute.trim();
  return (
    <div className="prov-whatif-fields">
      <UserPicker snapshot={snapshot} user={user} onPick={setUser} onError={onError} />
      <label htmlFor={attrId}>Source attribute</label>
      <input id={attrId} type="text" list={listId} value={attribute} placeholder="department" onChange={(e) => setAttribute(e.target.value)} />
      <datalist id={listId}>
        {MOVER_ATTRIBUTES.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <label htmlFor={valueId}>New value (empty clears it)</label>
      <input id={valueId} type="text" value={value} onChange={(e) => setValue(e.target.value)} />
      <button
        type="button"
        {...disabledBecause(!user ? 'Pick the user who moves' : name === '' && 'Name the source attribute that changes')}
        onClick={() => {
          if (!user || name === '') return;
          const v = moverValue(name, value);
          onAdd({ kind: 'mover', userId: user.id, set: { [name]: v } }, `Mover: ${userName(user)} — ${name} ${v === null ? 'cleared' : `= ${String(v)}`}`);
          setUser(null);
          setValue('');
        }}
      >
        Add mover
      </button>
    </div>
  );
}

function JoinerForm({ onAdd }: { onAdd: AddFn }) {
  const blank = Object.fromEntries(JOINER_FIELDS.map((f) => [f.name, ''])) as Record<JoinerField, string>;
  const [fields, setFields] = useState(blank);
  const baseId = useId();
  const ready = JOINER_FIELDS.every((f) => !f.required || fields[f.name].trim() !== '');
  return (
    <div className="prov-whatif-fields">
      {JOINER_FIELDS.map((f) => (
        <div key={f.name} className="prov-whatif-field">
          <label htmlFor={`${baseId}-${f.name}`}>
            {f.label}
            {f.required ? ' (required)' : ''}
          </label>
          <input
            id={`${baseId}-${f.name}`}
            type={f.name === 'userPrincipalName' || f.name === 'mail' ? 'email' : 'text'}
            value={fields[f.name]}
            placeholder={f.placeholder}
            onChange={(e) => setFields({ ...fields, [f.name]: e.target.value })}
          />
        </div>
      ))}
      <button
        type="button"
        {...disabledBecause(!ready && 'Fill in the required fields')}
        onClick={() => {
          const source: Record<string, string | boolean> = { objectId: crypto.randomUUID(), accountEnabled: true };
          for (const f of JOINER_FIELDS) if (fields[f.name].trim() !== '') source[f.name] = fields[f.name].trim();
          onAdd({ kind: 'joiner', source }, `Joiner: ${source.userPrincipalName as string} (${source.displayName as string})`);
          setFields(blank);
        }}
      >
        Add joiner
      </button>
    </div>
  );
}

/** Type part of a userPrincipalName, then choose the user from the latest snapshot's matches. */
function UserPicker({ snapshot, user, onPick, onError }: { snapshot: SnapshotSummary | null; user: UserRow | null; onPick(user: UserRow | null): void; onError(message: string): void }) {
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<UserRow[]>([]);
  const inputId = useId();
  const snapshotId = snapshot?.id ?? null;
  const query = search.trim();

  useEffect(() => {
    if (snapshotId === null || query === '' || user) {
      setMatches([]);
      return;
    }
    // answers can come back out of order while the admin types: only the latest query's answer is kept
    let current = true;
    api['tenant.listUsers']({ snapshotId, search: query, offset: 0, limit: 10 }).then(
      (page) => current && setMatches(page.items),
      (e: Error) => current && onError(e.message),
    );
    return () => {
      current = false;
    };
  }, [snapshotId, query, user, onError]);

  if (user) {
    return (
      <div className="prov-whatif-picked">
        <span>
          User: <strong>{userName(user)}</strong>
          {user.displayName && user.userPrincipalName ? ` (${user.displayName})` : ''}
        </span>
        <button type="button" onClick={() => onPick(null)}>
          Change user
        </button>
      </div>
    );
  }
  return (
    <div className="prov-whatif-picker">
      <label htmlFor={inputId}>User (userPrincipalName)</label>
      <input id={inputId} type="search" value={search} placeholder="alex@contoso.com" disabled={snapshotId === null} onChange={(e) => setSearch(e.target.value)} />
      {snapshotId === null && <p className="muted">Fetch a snapshot on the Tenant screen to pick users.</p>}
      {query !== '' && snapshotId !== null && (
        <ul className="prov-whatif-matches" aria-label="Matching users">
          {matches.length === 0 && <li className="muted">No matching user in the latest snapshot</li>}
          {matches.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                onClick={() => {
                  onPick(m);
                  setSearch('');
                }}
              >
                {userName(m)}
                {m.displayName && m.userPrincipalName ? ` — ${m.displayName}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
