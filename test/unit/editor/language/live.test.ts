import { describe, expect, it } from 'vitest';
import { evaluateLive, unverifiedNote, type LiveUser } from '../../../../renderer/editor/language/live.ts';
import { compileExpression } from '../../../../shared/expressions/index.ts';

const program = (text: string) => {
  const result = compileExpression(text);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.program;
};
const zoe: LiveUser = { id: 'u1', userPrincipalName: 'zoe@contoso.com', displayName: 'Zoë Adams', source: { givenName: 'Zoë', surname: 'Adams', proxyAddresses: ['SMTP:a@x', 'smtp:b@x'] } };
const nobody: LiveUser = { id: 'u2', userPrincipalName: 'n@contoso.com', displayName: null, source: {} };

describe('live results', () => {
  it('evaluates for a user and renders the value as Entra sends it', () => {
    expect(evaluateLive(program('Join(" ", [givenName], [surname])'), zoe)).toMatchObject({ status: 'value', text: 'Zoë Adams', userLabel: 'Zoë Adams', unverified: [] });
    expect(evaluateLive(program('IsPresent([givenName])'), zoe)).toMatchObject({ text: 'True', json: true });
    expect(evaluateLive(program('[proxyAddresses]'), zoe)).toMatchObject({ status: 'value', json: ['SMTP:a@x', 'smtp:b@x'] });
  });

  it('shows null, or the row’s default value when it has one', () => {
    expect(evaluateLive(program('[givenName]'), nobody)).toMatchObject({ status: 'null', userLabel: 'n@contoso.com' });
    expect(evaluateLive(program('[givenName]'), nobody, 'Unknown')).toMatchObject({ status: 'default', text: 'Unknown' });
  });

  it('reports runtime errors and says when an unverified rule decided the result', () => {
    const error = evaluateLive(program('Mid([givenName], 0, 2)'), zoe);
    expect(error.status).toBe('error');
    const coalesce = evaluateLive(program('Coalesce("", [givenName])'), zoe);
    expect(unverifiedNote(coalesce.unverified)).toBe('depends on an unverified rule: Coalesce empty string (Microsoft Learn "Reference for writing expressions for attribute mappings", Coalesce)');
    expect(unverifiedNote([])).toBeNull();
  });
});
