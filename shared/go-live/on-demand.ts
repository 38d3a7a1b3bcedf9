/**
 * Provision on demand's answer read into words, and set beside the preview attribute by attribute. Graph answers a
 * stringKeyStringValuePair whose key and value are themselves JSON strings: the key holds the result and its details,
 * the value the action, the modified properties and the provisioning steps (Import, Matching, Scoping, Export)
 * (Microsoft Graph "synchronizationJob: provisionOnDemand").
 */

/** Provision on demand takes a group with at most 5 members (Microsoft Learn "On-demand provisioning in Microsoft Entra ID"). */
export const ON_DEMAND_GROUP_MEMBER_LIMIT = 5;

interface OnDemandStep {
  name: string;
  type: string;
  status: string;
  description: string;
  details: Record<string, string>;
}

export interface OnDemandResult {
  /** "Success", "Failure", "Skipped", … */
  result: string;
  errorCode: string | null;
  errorMessage: string | null;
  /** "Create", "Update", "Delete", "Other" */
  action: string | null;
  modifiedProperties: { name: string; oldValue: string | null; newValue: string | null }[];
  steps: OnDemandStep[];
}

/** Graph answered something that is not provision on demand's documented shape. */
class OnDemandAnswerError extends Error {
  override readonly name = 'OnDemandAnswerError';
}

function parseString(text: unknown, what: string): Record<string, unknown> {
  if (typeof text !== 'string') throw new OnDemandAnswerError(`The provisionOnDemand answer has no ${what} string.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OnDemandAnswerError(`The provisionOnDemand answer's ${what} is not JSON: ${text.slice(0, 120)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new OnDemandAnswerError(`The provisionOnDemand answer's ${what} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, text(v) ?? '']));
}

export function parseOnDemandAnswer(answer: unknown): OnDemandResult {
  const pair = (answer ?? {}) as { key?: unknown; value?: unknown };
  const key = parseString(pair.key, 'key');
  const details = (key.details ?? {}) as Record<string, unknown>;
  // A failure may carry only the key; the value then is absent or empty.
  const value = typeof pair.value === 'string' && pair.value.trim() !== '' ? parseString(pair.value, 'value') : {};
  const properties = Array.isArray(value.modifiedProperties) ? (value.modifiedProperties as Record<string, unknown>[]) : [];
  const steps = Array.isArray(value.provisioningSteps) ? (value.provisioningSteps as Record<string, unknown>[]) : [];
  return {
    result: text(key.result) ?? 'Unknown',
    errorCode: text(details.errorCode),
    errorMessage: text(details.errorMessage),
    action: text(value.action),
    modifiedProperties: properties.map((p) => ({ name: String(p.displayName ?? ''), oldValue: text(p.oldValue), newValue: text(p.newValue) })),
    steps: steps.map((s) => ({
      name: String(s.name ?? ''),
      type: String(s.type ?? ''),
      status: String(s.status ?? ''),
      description: String(s.description ?? ''),
      details: stringRecord(s.details),
    })),
  };
}

/** A value as Entra writes it in its logs: booleans as "True"/"False", lists comma-separated. */
export function asLoggedValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.map(asLoggedValue).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface AttributeComparison {
  attribute: string;
  preview: string | null;
  entra: string | null;
  same: boolean;
}

/**
 * Each attribute the preview sends beside what Entra exported. Entra's value is the modified property of that name, or
 * the Export step's detail; names compare ignoring case (RFC 7643 §2.1), and so do "True"/"False".
 */
export function compareWithPreview(result: OnDemandResult, preview: readonly { attribute: string; value: unknown }[]): AttributeComparison[] {
  const exported = new Map<string, string | null>();
  const exportStep = result.steps.find((s) => s.type.toLowerCase() === 'export');
  for (const [name, value] of Object.entries(exportStep?.details ?? {})) exported.set(name.toLowerCase(), value === '' ? null : value);
  for (const property of result.modifiedProperties) exported.set(property.name.toLowerCase(), property.newValue);
  const rows: AttributeComparison[] = [];
  for (const { attribute, value } of preview) {
    const mine = asLoggedValue(value);
    const theirs = exported.has(attribute.toLowerCase()) ? exported.get(attribute.toLowerCase())! : null;
    if (mine === null && theirs === null) continue;
    const same = mine !== null && theirs !== null && (mine === theirs || (/^(true|false)$/i.test(mine) && mine.toLowerCase() === theirs.toLowerCase()));
    rows.push({ attribute, preview: mine, entra: theirs, same });
  }
  return rows;
}

