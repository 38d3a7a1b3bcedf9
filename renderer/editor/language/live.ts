import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { UNVERIFIED_RULES, valueToJson, valueToString, type JsonValue, type Program } from '../../../shared/expressions/index.ts';

/** A user the live results run on (mappings.sampleSources). */
export interface LiveUser {
  id: string;
  userPrincipalName: string | null;
  displayName: string | null;
  source: Record<string, unknown>;
}

export interface LiveResult {
  userId: string;
  userLabel: string;
  /** value: a value flows; default: null, so "Default value if null" flows; null: nothing flows; ignored: IgnoreFlow; error */
  status: 'value' | 'default' | 'null' | 'ignored' | 'error';
  /** the value as Entra renders it as text (or the error message) */
  text: string;
  json: JsonValue;
  unverified: { rule: string; section: string; summary: string }[];
}

export function userLabelOf(user: Pick<LiveUser, 'displayName' | 'userPrincipalName' | 'id'>): string {
  return user.displayName ?? user.userPrincipalName ?? user.id;
}

function rulesOf(names: readonly string[]): LiveResult['unverified'] {
  return names.map((rule) => {
    const known = (UNVERIFIED_RULES as Record<string, { source: string; summary: string }>)[rule];
    // The public reference, not the project's own notes: this line is shown to the admin.
    return { rule, section: known?.source ?? '', summary: known?.summary ?? '' };
  });
}

/**
 * Evaluates one program for one user, applying the row's "Default value if null" (Microsoft Learn "Customize user
 * provisioning attribute-mappings", "Understanding attribute-mapping types").
 */
export function evaluateLive(program: Program, user: LiveUser, defaultValue: string | null = null): LiveResult {
  const base = { userId: user.id, userLabel: userLabelOf(user) };
  const result = program.evaluate(user.source as SourceObject);
  const unverified = rulesOf(result.unverifiedRules);
  if (!result.ok) return { ...base, status: 'error', text: result.error.message, json: null, unverified };
  const value = result.value;
  if (value.kind === 'ignore') return { ...base, status: 'ignored', text: 'not sent (IgnoreFlowIfNullOrEmpty)', json: null, unverified };
  if (value.kind === 'null' || (value.kind === 'multi' && value.values.length === 0)) {
    if (defaultValue !== null && defaultValue !== '') return { ...base, status: 'default', text: defaultValue, json: defaultValue, unverified };
    return { ...base, status: 'null', text: 'null (not sent)', json: null, unverified };
  }
  const json = valueToJson(value);
  const text = value.kind === 'multi' ? JSON.stringify(json) : (valueToString(value) ?? '');
  return { ...base, status: 'value', text, json, unverified };
}

/** The line the UI shows under a result that an unverified rule decided. */
export function unverifiedNote(unverified: LiveResult['unverified']): string | null {
  if (unverified.length === 0) return null;
  return `depends on an unverified rule: ${unverified.map((u) => `${u.rule}${u.section ? ` (${u.section})` : ''}`).join('; ')}`;
}
