import type { MappingSet } from '../mapping/model.ts';
import type { Finding, Severity, UserPreview } from '../preview/types.ts';
import { parseTargetPath, readValue, type JsonObject } from '../scim/requests/target-path.ts';
import { rewriteToDateOnly } from './expression-rewrite.ts';
import { readsAttribute } from './expressions.ts';
import type { AttributeRule, ValueFormat, VendorProfile } from './profile-schema.ts';
import { attributeRuleFor, cite, DATE_TIME_LIKE, formatName, matchesFormat, planRows, rowsOn, say, SPEC, valuesOf, type Row } from './rule-support.ts';

/**
 * The vendor's per-user rules as an accumulator, so they run where the users are: a preview worker checks each
 * user of its chunk as it previews it (`VendorUserChecks.add`), keeps the user's findings with the user, and
 * hands back only a small partial — counts with a first example per code and attribute, and a hash per value
 * of a unique attribute. The backend thread merges the partials (`VendorUserMerge`), asks the chunks for the
 * few values whose hashes meet, and writes the aggregates and the duplicate findings. One user's previews and
 * targets never cross a thread (cloning 10,000 of them cost more than previewing them: docs/benchmarks.md).
 *
 * Order is part of the result: a position (`ordinal`, the user's place in the snapshot, then the order of the
 * checks within the user) goes with every example and value, so merging chunks in any order gives exactly the
 * findings a single pass over the snapshot gives.
 */

/** Room for the checks of one user inside a position (rows × values; far below 2^20). */
const SEQ_SPAN = 2 ** 20;

/** What the guest check reads of the source object besides the preview. */
interface VendorUserIdentity {
  originalUserPrincipalName?: unknown;
}

/** A count with its first example, per code and attribute (the mapping-level line that sums a per-user finding). */
interface PartialAggregate {
  code: string;
  attribute: string;
  severity: Severity;
  users: number;
  example: string;
  /** position of the example */
  at: number;
  /** the fix of the example's finding, when it depends on the row (a format's conversion) */
  fix?: string;
}

/** What one chunk's checks hand back: small whatever the chunk's size, and structured-clone friendly. */
export interface VendorUserPartial {
  /** users with a MANAGER_NOT_PROVISIONED finding */
  managerOutOfScope: number;
  aggregates: PartialAggregate[];
  /** each unique target the chunk sent a value of, with the position of the first */
  uniqueTargets: Array<{ target: string; at: number }>;
  /** a hash of each distinct (target, value) of a unique attribute in the chunk */
  uniqueHashes: Uint32Array;
  /** hashes of the (target, value) pairs sent more than once inside the chunk already */
  collidingHashes: number[];
}

/** Every send of one value of a unique attribute that a chunk holds. */
export interface UniqueValueSends {
  target: string;
  /** lower-cased: uniqueness ignores case, as SCIM does for userName and emails (RFC 7643 §4.1.1) */
  value: string;
  users: Array<{ id: string; label: string; at: number }>;
}

/** The per-user rules' contribution once every chunk is merged: mapping-level lines and the duplicates. */
export interface MergedVendorUsers {
  managerOutOfScope: number;
  /** one line per (code, attribute) summing the per-user findings, duplicates last (no userId) */
  aggregates: Finding[];
  /** a finding per user who sends a value of a unique attribute that another user sends too */
  duplicates: Finding[];
}

/** FNV-1a over the UTF-16 code units: equal strings, equal hashes, in every thread. */
function hashOf(target: string, value: string): number {
  let hash = 0x811c9dc5;
  const text = `${target}\u0000${value}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function isProvisioned(user: UserPreview): user is UserPreview & { target: JsonObject } {
  return user.target !== null && user.inScope && (user.action === 'create' || user.action === 'update' || user.action === 'none');
}

const label = (user: UserPreview) => user.userPrincipalName ?? user.id;

interface CheckedRow {
  row: Row;
  rule: AttributeRule | undefined;
  path: ReturnType<typeof parseTargetPath>;
  /** the row's format advice, worked out at its first format finding (it reads the row's expression) */
  formatAdvice?: string;
}

/** The per-user rules over one chunk of users (or every user, for the one-shot `vendorFindings`). */
export class VendorUserChecks {
  private readonly located: boolean;
  private readonly checked: CheckedRow[];
  private readonly deletes: boolean;
  private readonly guests: { fromUpn: boolean; cite: string; unique: boolean; path: ReturnType<typeof parseTargetPath> } | null;
  private readonly aggregates = new Map<string, PartialAggregate>();
  private readonly unique = new UniqueSends();
  private managerOutOfScope = 0;

  /** `guests`: whether the caller gives each user's source identity (without it the guest check is skipped). */
  constructor(
    private readonly profile: VendorProfile,
    set: MappingSet,
    options: { guests: boolean },
  ) {
    const plan = planRows(profile, set);
    this.located = plan.located;
    // Rows no per-user check reads are skipped: the checks run on every user, in the preview's hot loop.
    const checkedRule = (rule: AttributeRule | undefined): boolean =>
      profile.dateValues !== null ||
      (rule !== undefined && (rule.required || rule.format !== null || rule.allowedValues !== null || rule.noSurroundingSpaces || rule.unique));
    this.checked = plan.rows
      .filter((row) => !plan.condemned.has(row))
      .map((row) => ({ row, rule: attributeRuleFor(profile, row.target), path: parseTargetPath(row.target) }))
      .filter(({ rule }) => checkedRule(rule));
    this.deletes = profile.features.deprovision.value === 'delete';
    if (options.guests) {
      const rule = attributeRuleFor(profile, 'userName');
      this.guests = {
        fromUpn: rowsOn(plan.rows, 'userName').some((row) => readsAttribute(row.mapping, 'userPrincipalName')),
        cite: rule ? cite(profile, rule.cite, SPEC.guest) : `Source: ${SPEC.guest}.`,
        unique: rule?.unique === true,
        path: parseTargetPath('userName'),
      };
    } else this.guests = null;
  }

  /**
   * Checks one previewed user; `ordinal` is the user's place in the snapshot. Returns the user's findings in
   * the order a single pass gives them: deprovisioning, then the attribute checks, then the guest check.
   */
  add(user: UserPreview, identity: VendorUserIdentity | undefined, ordinal: number): Finding[] {
    const findings: Finding[] = [];
    let seq = 0;
    const at = () => ordinal * SEQ_SPAN + seq++;
    const { profile } = this;
    if (user.findings.some((f) => f.code === 'MANAGER_NOT_PROVISIONED')) this.managerOutOfScope++;
    if (this.deletes && user.action === 'deactivate') {
      findings.push({
        severity: 'warning',
        code: 'VENDOR_DEPROVISION_DELETES',
        attribute: 'active',
        userId: user.id,
        message: say(
          `Entra will deactivate ${user.userPrincipalName ?? user.id} (${user.reason ?? 'deprovisioned'}).`,
          `${profile.name} will delete the account.`,
          cite(profile, profile.features.deprovision.cite),
        ),
      });
    }
    if (!this.located || !isProvisioned(user)) return findings;
    // Users arrive in snapshot order (one pass) or in key order (a worker's chunk): the example is the user
    // first in the snapshot either way.
    const count = (severity: Severity, code: string, attribute: string, example: string, fix?: string) => {
      const key = `${code}\u0000${attribute}`;
      const position = at();
      const entry = this.aggregates.get(key);
      if (!entry) this.aggregates.set(key, { code, attribute, severity, users: 1, example, at: position, ...(fix !== undefined ? { fix } : {}) });
      else {
        entry.users++;
        if (position < entry.at) Object.assign(entry, { example, at: position, severity }, fix !== undefined ? { fix } : {});
      }
    };

    for (const checked of this.checked) {
      const { row, rule, path } = checked;
      const values = valuesOf(readValue(user.target, path));
      if (rule?.required && values.length === 0 && row.target.toLowerCase() !== 'username') {
        // userName is already reported by the preview (USERNAME_MISSING) for every vendor.
        findings.push({
          severity: 'error',
          code: 'VENDOR_REQUIRED_MISSING',
          attribute: row.target,
          userId: user.id,
          message: say(
            `Entra will send no ${row.target} for ${label(user)} (${row.expression ?? 'the source'} is empty).`,
            `${profile.name} requires it, so this user is not provisioned.`,
            cite(profile, rule.cite),
          ),
          fix: requiredFix(row.target),
        });
        count('error', 'VENDOR_REQUIRED_MISSING', row.target, label(user));
      }
      for (const value of values) {
        const format = rule?.format ?? null;
        const dateRule = profile.dateValues;
        if (format && !matchesFormat(value, format)) {
          findings.push({
            severity: 'error',
            code: 'VENDOR_FORMAT',
            attribute: row.target,
            userId: user.id,
            message: say(`Entra will send ${row.target} = "${value}" for ${label(user)}.`, `${profile.name} needs ${formatName(format)}, so it rejects or misreads the value.`, cite(profile, rule!.cite)),
            fix: (checked.formatAdvice ??= formatFix(row, format)),
          });
          count('error', 'VENDOR_FORMAT', row.target, `"${value}" (${label(user)})`, checked.formatAdvice);
        } else if (!format && dateRule && DATE_TIME_LIKE.test(value)) {
          findings.push({
            severity: dateRule.severity,
            code: 'VENDOR_FORMAT',
            attribute: row.target,
            userId: user.id,
            message: say(`Entra will send ${row.target} = "${value}" (a date-time) for ${label(user)}.`, dateRule.reason, cite(profile, dateRule.cite)),
            fix: (checked.formatAdvice ??= formatFix(row, null)),
          });
          count(dateRule.severity, 'VENDOR_FORMAT', row.target, `"${value}" (${label(user)})`, checked.formatAdvice);
        }
        if (rule?.allowedValues) {
          const allowed = rule.allowedValues;
          const ok = rule.caseSensitive ? allowed.includes(value) : allowed.some((a) => a.toLowerCase() === value.toLowerCase());
          if (!ok) {
            findings.push({
              severity: 'error',
              code: 'VENDOR_VALUE_NOT_ALLOWED',
              attribute: row.target,
              userId: user.id,
              message: say(
                `Entra will send ${row.target} = "${value}" for ${label(user)}.`,
                `${profile.name} accepts only ${allowed.join(', ')}${rule.caseSensitive ? ' (exact case)' : ''}, so this user may not be provisioned.`,
                cite(profile, rule.cite),
              ),
              fix: allowedFix(row.target, allowed),
            });
            count('error', 'VENDOR_VALUE_NOT_ALLOWED', row.target, `"${value}" (${label(user)})`);
          }
        }
        if (rule?.noSurroundingSpaces && value !== value.trim()) {
          findings.push({
            severity: 'warning',
            code: 'VENDOR_VALUE_SPACES',
            attribute: row.target,
            userId: user.id,
            message: say(
              `Entra will send ${row.target} value "${value}" for ${label(user)}, spaces included (Split does not trim).`,
              `${profile.name} will not recognise it.`,
              cite(profile, rule.cite, SPEC.split),
            ),
            fix: 'Store the list without spaces after the commas, or split on ", " when the source always has them.',
          });
        }
        if (rule?.unique) this.unique.add(row.target, value.toLowerCase(), user.id, label(user), at());
      }
    }
    const guest = this.guestFinding(user, identity);
    if (guest) findings.push(guest);
    return findings;
  }

  private guestFinding(user: UserPreview & { target: JsonObject }, identity: VendorUserIdentity | undefined): Finding | null {
    if (!this.guests) return null;
    const { profile } = this;
    const original = identity?.originalUserPrincipalName;
    if (typeof original !== 'string' || !original.toUpperCase().includes('#EXT#')) return null;
    const sent = valuesOf(readValue(user.target, this.guests.path))[0];
    if (sent === undefined) return null;
    if (sent.toUpperCase().includes('#EXT#')) {
      return {
        severity: 'error',
        code: 'VENDOR_GUEST_USERNAME',
        attribute: 'userName',
        userId: user.id,
        message: say(`Entra will send the guest's raw user name "${sent}", #EXT# included.`, `${profile.name} will create an account under a name nobody can sign in or mail with.`, this.guests.cite),
        fix: 'Map userPrincipalName (Entra strips #EXT#) or mail to userName instead of originalUserPrincipalName.',
      };
    }
    if (!this.guests.fromUpn) return null;
    return {
      severity: 'warning',
      code: 'VENDOR_GUEST_USERNAME',
      attribute: 'userName',
      userId: user.id,
      message: say(
        `${original} is a guest: Entra strips #EXT# and sends userName "${sent}", the guest's home address.`,
        `${profile.name} will create the account under that outside address${this.guests.unique ? ', which must stay unique across your users' : ''}.`,
        this.guests.cite,
      ),
      fix: `Check that guests should have ${profile.name} accounts under their home address; if not, remove their assignment to the app.`,
    };
  }

  partial(): VendorUserPartial {
    const { hashes, colliding } = this.unique.hashes();
    return {
      managerOutOfScope: this.managerOutOfScope,
      aggregates: [...this.aggregates.values()].map((entry) => ({ ...entry })),
      uniqueTargets: this.unique.targets(),
      uniqueHashes: hashes,
      collidingHashes: colliding,
    };
  }

  /** Every send of the values whose hash is given (the ones another chunk may send too). */
  sendsOf(hashes: ReadonlySet<number>): UniqueValueSends[] {
    return this.unique.sendsOf(hashes);
  }
}

/**
 * Every send of a unique attribute's value in a chunk, packed: a hash, a position and a target per send in typed
 * arrays, and one flat string with the value, the user's id and label. A chunk of 500,000 users kept a Map entry, an
 * object and an array per value before (about 400 bytes a send); only the few values whose hashes meet another
 * send are ever unpacked (`sendsOf`).
 */
class UniqueSends {
  private readonly targetNames: string[] = [];
  private readonly firstAt: number[] = [];
  private count = 0;
  private hashOfSend = new Uint32Array(1024);
  private atOfSend = new Float64Array(1024);
  private targetOfSend = new Uint16Array(1024);
  private readonly text: string[] = [];

  add(target: string, value: string, id: string, label: string, at: number): void {
    let t = this.targetNames.indexOf(target);
    if (t < 0) {
      t = this.targetNames.push(target) - 1;
      this.firstAt.push(at);
    } else this.firstAt[t] = Math.min(this.firstAt[t]!, at);
    if (this.count === this.hashOfSend.length) this.grow();
    const n = this.count++;
    this.hashOfSend[n] = hashOf(target, value);
    this.atOfSend[n] = at;
    this.targetOfSend[n] = t;
    this.text.push(`${value}\u0000${id}\u0000${label}`);
  }

  private grow(): void {
    const size = this.hashOfSend.length * 2;
    const hashes = new Uint32Array(size);
    hashes.set(this.hashOfSend);
    const ats = new Float64Array(size);
    ats.set(this.atOfSend);
    const targets = new Uint16Array(size);
    targets.set(this.targetOfSend);
    this.hashOfSend = hashes;
    this.atOfSend = ats;
    this.targetOfSend = targets;
  }

  targets(): VendorUserPartial['uniqueTargets'] {
    return this.targetNames.map((target, t) => ({ target, at: this.firstAt[t]! }));
  }

  /** Each distinct hash once, and the hashes sent more than once in the chunk (the same value twice, or a clash). */
  hashes(): { hashes: Uint32Array; colliding: number[] } {
    const sorted = this.hashOfSend.slice(0, this.count).sort();
    const colliding: number[] = [];
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) {
        if (colliding.at(-1) !== sorted[i]) colliding.push(sorted[i]!);
        continue;
      }
      sorted[distinct++] = sorted[i]!;
    }
    return { hashes: sorted.slice(0, distinct), colliding };
  }

  sendsOf(hashes: ReadonlySet<number>): UniqueValueSends[] {
    const byValue = new Map<string, UniqueValueSends>();
    if (hashes.size === 0) return [];
    for (let n = 0; n < this.count; n++) {
      if (!hashes.has(this.hashOfSend[n]!)) continue;
      const [value, id, label] = this.text[n]!.split('\u0000') as [string, string, string];
      const target = this.targetNames[this.targetOfSend[n]!]!;
      const key = `${target}\u0000${value}`;
      let sends = byValue.get(key);
      if (!sends) byValue.set(key, (sends = { target, value, users: [] }));
      sends.users.push({ id, label, at: this.atOfSend[n]! });
    }
    return [...byValue.values()];
  }
}

function requiredFix(target: string): string {
  return `Fill the source attribute for this user in Entra, or give the ${target} mapping a fallback (Coalesce).`;
}

/**
 * The fix of a format finding, read off the row's expression: for dates the conversion the one-click fix makes
 * (fixes.ts makes the same rewrite), or why there is none; otherwise a mapping that produces the format.
 */
function formatFix(row: Row, format: ValueFormat | null): string {
  if (format && format !== 'date') return `Change the ${row.target} mapping so it produces ${formatName(format)}.`;
  const rewrite = row.expression === null ? null : rewriteToDateOnly(row.expression);
  if (rewrite?.ok) return `${rewrite.description}.`;
  return `Change the ${row.target} mapping so it produces ${formatName('date')}${rewrite ? `: ${rewrite.reason}` : ''}.`;
}

function allowedFix(target: string, allowed: readonly string[]): string {
  return `Map ${target} through Switch(…) so every value becomes one of ${allowed.join(', ')}.`;
}

/** The mapping-level line that sums a per-user finding over the users (its example is the first user's). */
function aggregateFinding(profile: VendorProfile, entry: PartialAggregate): Finding {
  const target = entry.attribute;
  const rule = attributeRuleFor(profile, target);
  const n = entry.users;
  const example = entry.example;
  const finding = (message: string, fix: string): Finding => ({ severity: entry.severity, code: entry.code, attribute: target, message, fix });
  switch (entry.code) {
    case 'VENDOR_REQUIRED_MISSING':
      return finding(
        say(`Entra will send no ${target} for ${n} user(s), e.g. ${example}.`, `${profile.name} requires it, so they are not provisioned.`, cite(profile, rule!.cite)),
        requiredFix(target),
      );
    case 'VENDOR_FORMAT': {
      const format = rule?.format ?? null;
      if (format) {
        return finding(
          say(`Entra will send ${target} values that are not ${formatName(format)} for ${n} user(s), e.g. ${example}.`, `${profile.name} needs ${formatName(format)}.`, cite(profile, rule!.cite)),
          entry.fix ?? `Change the ${target} mapping so it produces ${formatName(format)}.`,
        );
      }
      const dateRule = profile.dateValues!;
      return finding(
        say(`Entra will send date-times in ${target} for ${n} user(s), e.g. ${example}.`, dateRule.reason, cite(profile, dateRule.cite)),
        entry.fix ?? `Change the ${target} mapping so it produces ${formatName('date')}.`,
      );
    }
    case 'VENDOR_VALUE_NOT_ALLOWED': {
      const allowed = rule!.allowedValues!;
      return finding(
        say(`Entra will send ${target} values outside ${allowed.join(', ')} for ${n} user(s), e.g. ${example}.`, `${profile.name} accepts only those values.`, cite(profile, rule!.cite)),
        allowedFix(target, allowed),
      );
    }
    case 'VENDOR_DUPLICATE_VALUE':
      return finding(
        say(`Entra will send the same ${target} for several users: ${example}.`, `${profile.name} needs it to be unique.`, cite(profile, rule!.cite)),
        `Give each user their own value, or map ${target} from a unique attribute.`,
      );
    default:
      throw new Error(`No summary line for ${entry.code}`);
  }
}

/**
 * Merges the partials of every chunk of a preview into the per-user rules' result. Uniqueness needs two steps:
 * `candidates()` gives the hashes that two sends may share (seen in two chunks, or twice in one), the caller
 * asks each chunk for its sends of those (`VendorUserChecks.sendsOf`) and passes them to `addSends`.
 */
export class VendorUserMerge {
  private managerOutOfScope = 0;
  private readonly aggregates = new Map<string, PartialAggregate>();
  private readonly targets = new Map<string, number>();
  private readonly hashLists: Uint32Array[] = [];
  private readonly colliding = new Set<number>();
  private readonly sends = new Map<string, UniqueValueSends>();

  constructor(private readonly profile: VendorProfile) {}

  add(partial: VendorUserPartial): void {
    this.managerOutOfScope += partial.managerOutOfScope;
    for (const entry of partial.aggregates) {
      const key = `${entry.code}\u0000${entry.attribute}`;
      const merged = this.aggregates.get(key);
      if (!merged) this.aggregates.set(key, { ...entry });
      else {
        merged.users += entry.users;
        if (entry.at < merged.at) Object.assign(merged, { example: entry.example, at: entry.at, severity: entry.severity }, entry.fix !== undefined ? { fix: entry.fix } : {});
      }
    }
    for (const { target, at } of partial.uniqueTargets) this.targets.set(target, Math.min(at, this.targets.get(target) ?? at));
    if (partial.uniqueHashes.length > 0) this.hashLists.push(partial.uniqueHashes);
    for (const hash of partial.collidingHashes) this.colliding.add(hash);
  }

  /** The hashes of the values two sends may share; a hash that two different values share only costs a look. */
  candidates(): Set<number> {
    const out = new Set(this.colliding);
    if (this.hashLists.length < 2) return out;
    // Each list holds a chunk's distinct hashes, so a hash twice in the sorted whole is in two chunks.
    const all = new Uint32Array(this.hashLists.reduce((n, list) => n + list.length, 0));
    let offset = 0;
    for (const list of this.hashLists) {
      all.set(list, offset);
      offset += list.length;
    }
    all.sort();
    for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) out.add(all[i]!);
    return out;
  }

  addSends(sends: readonly UniqueValueSends[]): void {
    for (const send of sends) {
      const key = `${send.target}\u0000${send.value}`;
      const merged = this.sends.get(key);
      if (merged) merged.users.push(...send.users);
      else this.sends.set(key, { target: send.target, value: send.value, users: [...send.users] });
    }
  }

  finish(): MergedVendorUsers {
    const { profile } = this;
    const aggregates = [...this.aggregates.values()].sort((a, b) => a.at - b.at).map((entry) => aggregateFinding(profile, entry));
    const duplicates: Finding[] = [];
    const byTarget = new Map<string, UniqueValueSends[]>();
    for (const send of this.sends.values()) {
      send.users.sort((a, b) => a.at - b.at);
      byTarget.set(send.target, [...(byTarget.get(send.target) ?? []), send]);
    }
    const targets = [...this.targets].sort((a, b) => a[1] - b[1]).map(([target]) => target);
    for (const target of targets) {
      const rule = attributeRuleFor(profile, target)!;
      // Values in the order a single pass meets them: by their first send.
      const values = (byTarget.get(target) ?? []).filter((send) => send.users.length > 1).sort((a, b) => a.users[0]!.at - b.users[0]!.at);
      let summary: PartialAggregate | null = null;
      for (const { value, users } of values) {
        const names = users.map((user) => user.label).join(', ');
        for (const user of users) {
          duplicates.push({
            severity: 'error',
            code: 'VENDOR_DUPLICATE_VALUE',
            attribute: target,
            userId: user.id,
            message: say(
              `Entra will send ${target} = "${value}" for ${users.length} users (${names}).`,
              `${profile.name} needs ${target} to be unique: the second account is rejected or merged into the first.`,
              cite(profile, rule.cite),
            ),
            fix: `Give each of these users their own value in Entra, or map ${target} from a unique attribute.`,
          });
        }
        if (summary) summary.users++;
        else summary = { code: 'VENDOR_DUPLICATE_VALUE', attribute: target, severity: 'error', users: 1, example: `"${value}" (${names})`, at: 0 };
      }
      if (summary) aggregates.push(aggregateFinding(profile, summary));
    }
    return { managerOutOfScope: this.managerOutOfScope, aggregates, duplicates };
  }
}
