import { useEffect, useRef, useState } from 'react';
import type { CanaryGroupRow, CanaryPreviewDto, CanaryRunDto, SnapshotSummary, UserRow } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { ON_DEMAND_GROUP_MEMBER_LIMIT } from '../../shared/go-live/on-demand.ts';
import { ConfirmWriteDialog } from '../components/ConfirmWriteDialog.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';
import { ProvisioningJobPicker } from '../components/ProvisioningJobPicker.tsx';
import { chosenJob, graphAccess, useProvisioningJobStore } from '../state/provisioning-job.ts';
import { CanaryResultView } from './CanaryResultView.tsx';
import '../styles/canary.css';

/** one page of search results: the backend pages, the panel never holds the tenant */
const PAGE = 20;

const WHAT_IT_DOES =
  'Provision on demand runs the live provisioning job for one user, or one group with at most 5 members, right now: ' +
  'it WRITES TO THE VENDOR (the account is created or updated there for real). Entra’s answer is then set beside the ' +
  'preview, attribute by attribute. It needs Synchronization.ReadWrite.All; Graph allows 5 such calls per 10 seconds.';

type Kind = 'user' | 'group';
type Choice = { kind: 'user'; row: UserRow } | { kind: 'group'; row: CanaryGroupRow };

const choiceLabel = (choice: Choice) =>
  choice.kind === 'user' ? (choice.row.userPrincipalName ?? choice.row.id) : `group ${choice.row.displayName ?? choice.row.id}`;

/** Search the snapshot's users or groups, a page at a time, answering only the latest search. */
function useSearch(kind: Kind, snapshotId: number | null, search: string, onError: (message: string) => void) {
  const [found, setFound] = useState<{ total: number; items: (UserRow | CanaryGroupRow)[] } | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    if (snapshotId === null) return;
    const ask = ++latest.current;
    const input = { snapshotId, search, offset: 0, limit: PAGE };
    const answer = kind === 'user' ? api['tenant.listUsers'](input) : api['canary.groups'](input);
    answer.then(
      (page) => ask === latest.current && setFound(page),
      (e: Error) => onError(e.message),
    );
  }, [kind, snapshotId, search, onError]);
  return found;
}

function ChoiceList({ kind, found, chosen, onChoose }: { kind: Kind; found: { total: number; items: (UserRow | CanaryGroupRow)[] }; chosen: Choice | null; onChoose(choice: Choice): void }) {
  return (
    <>
      <ul className="canary-choices" aria-label={kind === 'user' ? 'Users found' : 'Groups found'}>
        {found.items.map((item) => {
          const choice = (kind === 'user' ? { kind, row: item as UserRow } : { kind, row: item as CanaryGroupRow }) as Choice;
          const tooMany = choice.kind === 'group' && choice.row.memberCount > ON_DEMAND_GROUP_MEMBER_LIMIT;
          const label =
            choice.kind === 'user'
              ? `${choice.row.displayName ?? ''} · ${choice.row.userPrincipalName ?? choice.row.id}`
              : `${choice.row.displayName ?? choice.row.id} · ${choice.row.memberCount} member${choice.row.memberCount === 1 ? '' : 's'}`;
          return (
            <li key={item.id}>
              <button
                type="button"
                aria-pressed={chosen?.row.id === item.id}
                onClick={() => onChoose(choice)}
                {...disabledBecause(tooMany && `${choice.row.memberCount} members: provision on demand takes a group with at most ${ON_DEMAND_GROUP_MEMBER_LIMIT}`)}
              >
                {label}
              </button>
            </li>
          );
        })}
      </ul>
      <p className="muted">
        {found.total === 0 ? 'Nothing matches.' : found.total > found.items.length ? `${found.items.length} of ${found.total}: refine the search.` : `${found.total} found.`}
      </p>
    </>
  );
}

/** What the confirmation says will be written: who, what the preview expects, and the dialect note. */
function Impact({ preview }: { preview: CanaryPreviewDto }) {
  return (
    <>
      <p>
        <strong>This WRITES TO THE VENDOR now:</strong> Entra creates or updates the real account
        {preview.users.length === 1 ? '' : 's'} of {preview.group ? `the group ${preview.group.displayName ?? preview.group.objectId} and its members` : 'this user'} through
        job {preview.jobId}, with the mappings live in the job.
      </p>
      <ul>
        {preview.users.map((u) => (
          <li key={u.objectId}>
            {u.userPrincipalName ?? u.objectId} (the preview with {preview.mappings} expects: {u.action}
            {u.reason ? `, ${u.reason}` : ''})
          </li>
        ))}
      </ul>
      <p className="muted">
        {preview.calls} provisionOnDemand call{preview.calls === 1 ? '' : 's'}; Graph allows {preview.budget.calls} per {preview.budget.windowSeconds} seconds and the app waits
        when needed. {preview.note}
      </p>
    </>
  );
}

/**
 * "Canary (provision on demand)" on the Provisioning screen (issue 15): the shared job picker, a user or a small group
 * from the snapshot, a confirmation that names the tenant, the app and who is written, then Entra's answer beside the
 * preview. It reads nothing until opened.
 */
export function CanaryPanel() {
  const [open, setOpen] = useState(false);
  const [snapshots, setSnapshots] = useState<SnapshotSummary[] | null>(null);
  const [snapshotId, setSnapshotId] = useState<number | null>(null);
  const [kind, setKind] = useState<Kind>('user');
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Choice | null>(null);
  const [preview, setPreview] = useState<CanaryPreviewDto | null>(null);
  const [result, setResult] = useState<CanaryRunDto | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const picked = useProvisioningJobStore();
  const job = chosenJob(picked);
  const found = useSearch(kind, open ? snapshotId : null, search, setError);

  useEffect(() => {
    if (!open || snapshots) return;
    api['tenant.listSnapshots']({}).then(
      (list) => {
        setSnapshots(list);
        setSnapshotId(list[0]?.id ?? null);
      },
      (e: Error) => setError(e.message),
    );
  }, [open, snapshots]);

  const attempt = async (what: string, work: () => Promise<void>, onError: (message: string | null) => void = setError) => {
    setBusy(what);
    onError(null);
    try {
      await work();
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const askConfirmation = () =>
    attempt('Reading what the canary will send…', async () => {
      setResult(null);
      setPreview(
        await api['canary.preview']({
          ...graphAccess(picked),
          servicePrincipalId: job!.servicePrincipalId,
          jobId: job!.jobId,
          snapshotId: snapshotId!,
          ...(chosen!.kind === 'user' ? { user: chosen!.row.id } : { group: chosen!.row.id }),
        }),
      );
    });
  const run = () =>
    attempt(
      'Provisioning on demand…',
      async () => {
        setResult(await api['canary.run']({ token: preview!.token }));
        setPreview(null);
      },
      setDialogError,
    );
  const chooseKind = (next: Kind) => {
    setKind(next);
    setChosen(null);
    setSearch('');
  };

  const cannotRun =
    (snapshotId === null && 'Load or fetch a snapshot on the Tenant screen first: the canary’s user comes from it') ||
    (!job && 'Pick the provisioning job first') ||
    (!chosen && `Pick a ${kind} first`) ||
    (busy !== null && busy) ||
    (picked.busy !== null && picked.busy);

  return (
    <details className="canary-panel" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Canary (provision on demand)</summary>
      {open && (
        <>
          <p className="muted">{WHAT_IT_DOES}</p>
          <ProvisioningJobPicker idPrefix="canary" />
          {snapshots && snapshots.length > 1 && (
            <label className="field">
              <span>Snapshot</span>
              <select value={snapshotId ?? ''} onChange={(e) => setSnapshotId(Number(e.target.value))}>
                {snapshots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label} · {s.userCount} users
                  </option>
                ))}
              </select>
            </label>
          )}
          <fieldset className="canary-kind">
            <legend>Provision</legend>
            <label>
              <input type="radio" name="canary-kind" checked={kind === 'user'} onChange={() => chooseKind('user')} /> one user
            </label>
            <label>
              <input type="radio" name="canary-kind" checked={kind === 'group'} onChange={() => chooseKind('group')} /> one group (at most {ON_DEMAND_GROUP_MEMBER_LIMIT} members)
            </label>
          </fieldset>
          <label className="field">
            <span>{kind === 'user' ? 'Search users by name or UPN' : 'Search groups by name or id'}</span>
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
          {found && <ChoiceList kind={kind} found={found} chosen={chosen} onChoose={setChosen} />}
          <button type="button" className="danger" onClick={() => void askConfirmation()} {...disabledBecause(cannotRun)}>
            Provision on demand…
          </button>
          {chosen && <p className="muted">Chosen: {choiceLabel(chosen)}</p>}
          {busy && !preview && <p className="muted">{busy}</p>}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          {result && <CanaryResultView result={result} />}
          {preview && (
            <ConfirmWriteDialog
              title="Provision on demand"
              target={{ kind: 'The vendor: real accounts in the app, through its provisioning job', tenant: preview.tenant, app: `${preview.appName ?? preview.servicePrincipalId} (job ${preview.jobId})` }}
              confirmLabel="Provision on demand"
              typeToConfirm={preview.appName ?? preview.servicePrincipalId}
              busy={busy !== null}
              error={dialogError}
              onConfirm={() => void run()}
              onCancel={() => {
                setPreview(null);
                setDialogError(null);
              }}
            >
              <Impact preview={preview} />
            </ConfirmWriteDialog>
          )}
        </>
      )}
    </details>
  );
}
