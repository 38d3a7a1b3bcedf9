import { useEffect, useState } from 'react';
import type { MethodOutput, PreviewUserDetail as Detail, RevisionCheckDto } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { SeverityTag } from './FindingList.tsx';
import { HighlightedJson } from './HighlightedJson.tsx';
import { actionLabels } from './labels.ts';
import { UserCheckMarks } from './UserCheckMarks.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { SeverityIcon } from '../components/SeverityIcon.tsx';
import { renderSourceValue, SourceAttributeTable } from '../components/SourceAttributeTable.tsx';

type RequestItem = Detail['requests'][number];

/** One request as Entra would send it: method and path, the headers, the body, and Copy as curl. */
function RequestView({ request, index }: { request: RequestItem; index: number }) {
  const [refused, setRefused] = useState(false);

  const title = `${request.method} ${request.path}`;
  return (
    <article className="request-view" aria-label={`Request ${index + 1}: ${title}`}>
      <header className="request-head">
        <span className={`http-method method-${request.method.toLowerCase()}`}>{request.method}</span>
        <code className="request-path">{request.path}</code>
        <CopyButton value={request.curl} copiedText="Copied to the clipboard" failedText="The clipboard refused; select the command below" statusClassName="copy-status" onFailed={() => setRefused(true)}>
          Copy as curl
        </CopyButton>
      </header>
      {refused && <pre className="json curl-command">{request.curl}</pre>}
      <details className="request-headers">
        <summary>Headers ({Object.keys(request.headers).length})</summary>
        <table className="attribute-table">
          <tbody>
            {Object.entries(request.headers).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {request.body === null || request.body === undefined ? (
        <p className="muted">No body.</p>
      ) : (
        <HighlightedJson value={request.body} label={`${title} body`} />
      )}
    </article>
  );
}

/** `microsoftCheck`: the previewed revision's newest check against Microsoft, whose marks this user gets if sampled */
export function UserPreviewDetail({ runId, userId, microsoftCheck = null }: { runId: string; userId: string; microsoftCheck?: RevisionCheckDto | null }) {
  const [detail, setDetail] = useState<MethodOutput<'preview.getUser'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    setError(null);
    let current = true;
    api['preview.getUser']({ runId, userId }).then(
      (d) => current && setDetail(d),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [runId, userId]);

  if (error) return <p className="error-text">{error}</p>;
  if (!detail) return <p className="muted">Loading the user’s preview…</p>;

  return (
    <section className="user-preview-detail" aria-label="User preview">
      <header>
        <h2>{renderSourceValue(detail.source.displayName ?? detail.userPrincipalName ?? detail.id)}</h2>
        <p>
          <span className={`action-badge action-${detail.action}`}>{actionLabels[detail.action]}</span>{' '}
          {detail.reason && <span>{detail.reason}</span>} {!detail.inScope && <span className="badge">out of scope</span>}
          <span className="muted"> · {detail.userPrincipalName ?? detail.id}</span>
        </p>
      </header>

      {detail.unverifiedRules.length > 0 && (
        <p className="unverified-note" role="note">
          <SeverityIcon severity="info" /> These values depend on rules not verified against Entra: {detail.unverifiedRules.join(', ')}.
        </p>
      )}

      {detail.findings.length > 0 && (
        <>
          <h3>Findings for this user</h3>
          <ul className="user-findings">
            {detail.findings.map((finding, i) => (
              <li key={i}>
                <SeverityTag severity={finding.severity} /> <strong>{finding.code}</strong>
                {finding.attribute && <code className="finding-attribute">{finding.attribute}</code>} {finding.message}
              </li>
            ))}
          </ul>
        </>
      )}

      <UserCheckMarks check={microsoftCheck} userId={detail.id} />

      <h3>Requests Entra would send ({detail.requests.length})</h3>
      {detail.requests.length === 0 && <p className="muted">None: Entra sends nothing for this user in this cycle.</p>}
      {detail.requests.map((request, i) => (
        <RequestView key={`${runId}:${userId}:${i}`} request={request} index={i} />
      ))}

      <h3>Target object (as the vendor would hold it)</h3>
      {detail.target ? <HighlightedJson value={detail.target} label="Target object" /> : <p className="muted">The vendor holds no object for this user.</p>}

      <h3>Source attributes (Entra provisioning names)</h3>
      <SourceAttributeTable source={detail.source} />
    </section>
  );
}
