import { useEffect, useRef } from 'react';
import type { CanaryRunDto, OnDemandAnswerDto } from '../../shared/api.ts';

/** Entra's steps (Import, Matching, Scoping, Export) with their status and details, as the portal's on-demand page lists them. */
function Steps({ answer }: { answer: OnDemandAnswerDto }) {
  return (
    <>
      <p>
        Entra: <strong>{answer.result}</strong>
        {answer.action && `, action ${answer.action}`}
        {answer.errorCode && ` (${answer.errorCode}: ${answer.errorMessage ?? ''})`}
      </p>
      <table className="canary-steps">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {answer.steps.map((step, i) => (
            <tr key={i}>
              <th scope="row">{step.type}</th>
              <td>{step.status}</td>
              <td>
                {step.description}
                {Object.keys(step.details).length > 0 && (
                  <span className="muted">
                    {' '}
                    ({Object.entries(step.details)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('; ')}
                    )
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** After the canary: per user, Entra's steps and each attribute the preview sends beside what Entra exported. */
export function CanaryResultView({ result }: { result: CanaryRunDto }) {
  const top = useRef<HTMLDivElement>(null);
  // the answer appears below the picker: bring it into view, where the admin's eyes go after confirming
  useEffect(() => top.current?.scrollIntoView?.({ block: 'start' }), [result]);
  return (
    <div ref={top} className="canary-result" data-testid="canary-result">
      <p role="status">
        {result.agrees
          ? 'Entra’s answer agrees with the preview on every attribute.'
          : 'Entra’s answer differs from the preview, or Entra failed: see the rows marked “differ”.'}
        {result.waitedSeconds > 0 && ` Waited ${Math.round(result.waitedSeconds)} s to stay within 5 calls per 10 seconds.`}
      </p>
      <p className="muted">{result.note}</p>
      {result.users.map((user) => (
        <section key={user.objectId} className="canary-user" aria-label={`Canary result for ${user.userPrincipalName}`}>
          <h3>{user.userPrincipalName}</h3>
          <Steps answer={user.entra} />
          <table className="canary-compare">
            <caption>Preview ({user.previewAction}) beside Entra’s answer</caption>
            <thead>
              <tr>
                <th scope="col">Target attribute</th>
                <th scope="col">Preview sends</th>
                <th scope="col">Entra exported</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {user.attributes.map((row) => (
                <tr key={row.attribute} className={row.same ? 'agree' : 'differ'}>
                  <th scope="row">{row.attribute}</th>
                  <td>{row.preview ?? '(none)'}</td>
                  <td>{row.entra ?? '(none)'}</td>
                  <td>{row.same ? 'agree' : 'differ'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {result.group && (
        <section className="canary-user" aria-label={`Canary result for the group ${result.group.displayName ?? result.group.objectId}`}>
          <h3>Group {result.group.displayName ?? result.group.objectId}, with its members linked</h3>
          <Steps answer={result.group.entra} />
        </section>
      )}
    </div>
  );
}
