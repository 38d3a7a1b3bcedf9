import type { RowCheckDto } from '../../shared/api.ts';

/**
 * What Entra itself answered for a mapping row (`scim-planner verify`, Graph parseExpression), beside the row:
 * "checked with Microsoft: agrees on N users", or how many users it differs for, with one example.
 */
export function MicrosoftCheckBadge({ check }: { check: RowCheckDto | undefined }) {
  if (!check) return null;
  const { agree, ...others } = check.counts;
  const disagreeing = Object.values(others).reduce((sum, n) => sum + n, 0);
  if (disagreeing === 0) {
    return (
      <span className="badge ok microsoft-check" data-testid="microsoft-check">
        checked with Microsoft: agrees on {agree} user{agree === 1 ? '' : 's'}
      </span>
    );
  }
  const example = check.example;
  const detail = example ? `${example.userPrincipalName ?? 'a user'} (${example.verdict}): preview ${example.ours}, Microsoft ${example.entra}` : '';
  return (
    <span className="badge warn microsoft-check" data-testid="microsoft-check" title={detail}>
      Microsoft differs for {disagreeing} of {agree + disagreeing} users{example ? `, e.g. ${detail}` : ''}
    </span>
  );
}
