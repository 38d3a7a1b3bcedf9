import type { SchemaChangeDto } from '../../../shared/api.ts';

const CHANGE_WORD: Record<SchemaChangeDto['change'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

/** What a change is about, in the portal's words: the row's target attribute, or the part of the object mapping. */
function subjectOf(change: SchemaChangeDto): string {
  switch (change.kind) {
    case 'row':
      return change.targetAttribute ?? '';
    case 'scope':
      return 'Scoping filter';
    case 'objectMapping':
      return 'Object mapping (Enabled)';
    case 'attributeList':
      return `Attribute list entry ${change.targetAttribute ?? ''}`;
    case 'tenantUrl':
      return 'Tenant URL (aadOptscim062020)';
  }
}

function ChangeItem({ change }: { change: SchemaChangeDto }) {
  return (
    <li className={`go-live-change go-live-${change.change}`} data-testid="schema-change">
      <span className="go-live-change-kind">{CHANGE_WORD[change.change]}</span> <strong>{subjectOf(change)}</strong>
      {change.columns.length > 0 ? (
        <ul className="go-live-columns">
          {change.columns.map((c) => (
            <li key={c.column}>
              {c.column}: <code>{c.before}</code> → <code>{c.after}</code>
            </li>
          ))}
        </ul>
      ) : (
        <div className="muted">{change.detail}</div>
      )}
    </li>
  );
}

/** The differences between the live schema and the plan, grouped by object mapping (shared/go-live/schema-diff.ts). */
export function SchemaDiffView({ changes, emptyText }: { changes: SchemaChangeDto[]; emptyText: string }) {
  if (changes.length === 0) return <p role="status">{emptyText}</p>;
  const groups = new Map<string, SchemaChangeDto[]>();
  for (const change of changes) groups.set(change.objectMapping, [...(groups.get(change.objectMapping) ?? []), change]);
  return (
    <div className="go-live-diff">
      {[...groups].map(([objectMapping, items]) => (
        <section key={objectMapping} aria-label={objectMapping}>
          <h4>{objectMapping}</h4>
          <ul>
            {items.map((change, i) => (
              <ChangeItem key={`${change.kind}-${change.targetAttribute ?? ''}-${i}`} change={change} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
