import type { SourceObject, SourceValue } from '../directory/source-object.ts';

/**
 * PII redaction for reports. `pseudonymise` (the default for anything that leaves the machine) gives every
 * real value a consistent fake one: the same real value always gets the same fake, so a manager reference
 * still points at the manager's fake id and two users sharing a mail still share one, and each fake keeps
 * the real value's structure (an e-mail stays an e-mail on the same tenant domain, a guest UPN keeps its
 * #EXT# form, a phone keeps its country code and spacing). `remove` replaces every value with a marker and
 * the report leaves out what only makes sense per user (sample payloads, example users).
 */
export type RedactionMode = 'off' | 'pseudonymise' | 'remove';
export const REDACTION_MODES: readonly RedactionMode[] = ['off', 'pseudonymise', 'remove'];
export const REMOVED = '[removed]';

type Kind = 'id' | 'email' | 'nickname' | 'given' | 'surname' | 'display' | 'phone' | 'employeeId' | 'street' | 'sid' | 'secret';

/** The source attributes (Entra provisioning names) that identify a person; everything else is kept. */
export const PERSONAL_ATTRIBUTES: Readonly<Record<string, Kind>> = Object.freeze({
  objectId: 'id',
  manager: 'id',
  onPremisesImmutableId: 'id',
  userPrincipalName: 'email',
  originalUserPrincipalName: 'email',
  mail: 'email',
  otherMails: 'email',
  proxyAddresses: 'email',
  mailNickname: 'nickname',
  SamAccountName: 'nickname',
  onPremisesSamAccountName: 'nickname',
  givenName: 'given',
  surname: 'surname',
  displayName: 'display',
  telephoneNumber: 'phone',
  mobile: 'phone',
  facsimileTelephoneNumber: 'phone',
  employeeId: 'employeeId',
  streetAddress: 'street',
  onPremisesSecurityIdentifier: 'sid',
  'passwordProfile.password': 'secret',
});

// Obviously invented names: a reader never mistakes them for a colleague.
const GIVEN_NAMES = ['Alfa', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel', 'India', 'Juliett', 'Kilo', 'Lima', 'Mike', 'November', 'Oscar', 'Papa', 'Quebec', 'Romeo', 'Sierra', 'Tango', 'Uniform', 'Victor', 'Whiskey', 'Xray', 'Yankee', 'Zulu'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}

interface Person {
  given: string;
  surname: string;
  local: string;
}

const SMTP_PREFIX = /^(smtp|SMTP|sip|SIP|x500|X500):/;
const GUEST_UPN = /^(.*)_([^_@#]+)#EXT#@(.+)$/i;

/**
 * The tenant's own domain a user's UPN shows (a guest's #EXT# form shows the tenant's after it), lower-cased: domains of
 * member UPNs and *.onmicrosoft.com are not personal, and a vendor needs them, so fake e-mails keep them.
 */
export function tenantDomainOf(user: SourceObject): string | null {
  const upn = typeof user.userPrincipalName === 'string' ? user.userPrincipalName : '';
  const original = typeof user.originalUserPrincipalName === 'string' ? user.originalUserPrincipalName : upn;
  if (original.includes('#EXT#@')) return original.split('#EXT#@').pop()!.toLowerCase();
  if (original.includes('@') && !original.includes('#EXT#')) return original.split('@').pop()!.toLowerCase();
  return null;
}

/**
 * Builds the real → fake table from the users in one pass, in directory order, so the same input always
 * gives the same pseudonyms. Keys compare case-insensitively: Entra treats UPNs, mails and ids that way.
 */
export class Redactor {
  readonly mode: RedactionMode;
  /** lower-cased real value → replacement */
  private readonly table = new Map<string, string>();
  /** URL-encoded spellings; matched without token boundaries, as `%22` ends in a digit */
  private readonly encodedTable = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly counters = new Map<Kind, number>();
  private readonly tenantDomains = new Set<string>();
  private readonly people = new Map<string, Person>();
  private matchers: { plain: LiteralMatcher; encoded: LiteralMatcher } | undefined;

  /**
   * `users` get pseudonyms in their order. `tenantDomains`: the tenant's own domains (tenantDomainOf over every user)
   * when `users` are only some of them; by default those of `users`.
   */
  constructor(mode: RedactionMode, users: readonly SourceObject[], tenantDomains?: Iterable<string>) {
    this.mode = mode;
    if (mode === 'off') return;
    for (const domain of tenantDomains ?? users.map(tenantDomainOf)) if (domain !== null) this.tenantDomains.add(domain);
    users.forEach((user) => this.register(user));
  }

  get active(): boolean {
    return this.mode !== 'off';
  }

  private next(kind: Kind): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  /** `candidate`, or `candidate-2`, `-3` … when another real value already took it; `suffix` stays last. */
  private unique(candidate: string, suffix = ''): string {
    let value = `${candidate}${suffix}`;
    for (let i = 2; this.used.has(value.toLowerCase()); i++) value = `${candidate}-${i}${suffix}`;
    this.used.add(value.toLowerCase());
    return value;
  }

  private personOf(user: SourceObject): Person {
    const key = String(user.objectId ?? user.userPrincipalName ?? this.people.size);
    const known = this.people.get(key);
    if (known) return known;
    const n = this.people.size + 1;
    const given = `${GIVEN_NAMES[(n - 1) % GIVEN_NAMES.length]}${n > GIVEN_NAMES.length ? Math.ceil(n / GIVEN_NAMES.length) : ''}`;
    const surname = `Sample${pad(n, 3)}`;
    const person = { given, surname, local: asciiSlug(`${given}.${surname}`) };
    this.people.set(key, person);
    return person;
  }

  private fakeEmail(real: string, person: Person): string {
    const prefix = SMTP_PREFIX.exec(real)?.[0] ?? '';
    const address = real.slice(prefix.length);
    if (prefix !== '') {
      // "SMTP:someone@contoso.com" is the same address as the mail: it gets the same fake behind the prefix.
      this.remember('email', address, person);
      return `${prefix}${this.lookup(address) ?? REMOVED}`;
    }
    const guest = GUEST_UPN.exec(address);
    if (guest) return `${prefix}${this.unique(person.local, `_example.com#EXT#@${guest[3]}`)}`;
    const at = address.lastIndexOf('@');
    if (at < 0) return `${prefix}${this.unique(person.local)}`;
    const domain = address.slice(at + 1);
    const fakeDomain = this.tenantDomains.has(domain.toLowerCase()) ? domain : 'example.com';
    return `${prefix}${this.unique(person.local, `@${fakeDomain}`)}`;
  }

  private fake(kind: Kind, real: string, person: Person): string {
    switch (kind) {
      case 'id': {
        const n = this.next(kind);
        return /^[0-9a-f]{8}-/i.test(real) ? `00000000-0000-4000-8000-${pad(n, 12)}` : this.unique(`id-${pad(n, 6)}`);
      }
      case 'email':
        return this.fakeEmail(real, person);
      case 'nickname':
        return this.unique(person.local);
      case 'given':
        return this.unique(person.given);
      case 'surname':
        return this.unique(person.surname);
      case 'display':
        return this.unique(`${person.given} ${person.surname}`);
      case 'phone': {
        // Country code and spacing kept; every other digit zeroed, the last ones carry a counter.
        const n = String(this.next(kind));
        const code = /^\+\d+\s/.exec(real)?.[0] ?? '';
        let rest = real.slice(code.length).replace(/\d/g, '0');
        let digitIndex = rest.length - 1;
        for (let i = n.length - 1; i >= 0 && digitIndex >= 0; digitIndex--) {
          if (rest[digitIndex] === '0') rest = `${rest.slice(0, digitIndex)}${n[i--]}${rest.slice(digitIndex + 1)}`;
        }
        return this.unique(`${code}${rest}`);
      }
      case 'employeeId': {
        const n = this.next(kind);
        return this.unique(/^\d+$/.test(real) ? `E${pad(n, Math.max(real.length - 1, 3))}` : `E-${pad(n, 5)}`);
      }
      case 'street':
        return this.unique(`${this.next(kind)} Example Street`);
      case 'sid':
        return this.unique(`S-1-5-21-0-0-0-${this.next(kind)}`);
      case 'secret':
        return REMOVED;
    }
  }

  private remember(kind: Kind, real: string, person: Person): void {
    if (real.trim() === '') return;
    const key = real.toLowerCase();
    if (this.table.has(key)) return;
    const replacement = this.mode === 'remove' ? REMOVED : this.fake(kind, real, person);
    this.table.set(key, replacement);
    // Match queries carry values URL-encoded (userName+eq+%22…%40…%22): those spellings are replaced too.
    const encoded = encodeURIComponent(real);
    if (encoded !== real) {
      this.encodedTable.set(encoded.toLowerCase(), encodeURIComponent(replacement));
      this.encodedTable.set(encoded.replace(/%20/g, '+').toLowerCase(), encodeURIComponent(replacement).replace(/%20/g, '+'));
    }
    this.matchers = undefined;
  }

  private register(user: SourceObject): void {
    const person = this.personOf(user);
    for (const [attribute, kind] of Object.entries(PERSONAL_ATTRIBUTES)) {
      const value = user[attribute];
      if (typeof value === 'string') this.remember(kind, value, person);
      else if (Array.isArray(value)) for (const item of value) this.remember(kind, item, person);
    }
  }

  /** The replacement of one real value, or undefined when it is not personal. */
  lookup(value: string): string | undefined {
    return this.table.get(value.toLowerCase());
  }

  private replaceValue(value: SourceValue): SourceValue {
    if (typeof value === 'string') return this.lookup(value) ?? this.scrub(value);
    if (Array.isArray(value)) return value.map((item: string) => this.lookup(item) ?? this.scrub(item));
    return value;
  }

  /** A source object with every personal attribute replaced (pseudonymise) — same keys, same null-ness. */
  pseudonymiseSource(source: SourceObject): SourceObject {
    if (!this.active) return source;
    const copy: Record<string, SourceValue> = { ...source };
    for (const attribute of Object.keys(PERSONAL_ATTRIBUTES)) {
      if (attribute in copy) copy[attribute] = this.replaceValue(copy[attribute] ?? null);
    }
    return copy;
  }

  /**
   * Free text (finding messages, filters, curl commands) with every known personal value replaced. Values
   * match case-insensitively and only as whole tokens, so a surname such as "Lee" never rewrites "Leeway".
   */
  scrub(text: string): string {
    if (!this.active || text === '') return text;
    this.matchers ??= { plain: new LiteralMatcher(this.table, true), encoded: new LiteralMatcher(this.encodedTable, false) };
    const result = text.includes('%') ? this.matchers.encoded.replace(text) : text;
    return this.matchers.plain.replace(result);
  }

  /** Every string inside a JSON-like value scrubbed (keys too: Graph puts ids in keys of some maps). */
  scrubDeep<T>(value: T): T {
    if (!this.active) return value;
    const visit = (item: unknown): unknown => {
      if (typeof item === 'string') return this.scrub(item);
      if (Array.isArray(item)) return item.map(visit);
      if (item && typeof item === 'object') {
        return Object.fromEntries(Object.entries(item as Record<string, unknown>).map(([k, v]) => [this.scrub(k), visit(v)]));
      }
      return item;
    };
    return visit(value) as T;
  }
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether the code point that ends just before `index` (or starts at it) is a letter or a digit. */
function letterOrDigitBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(start)!));
}

function letterOrDigitAt(text: string, index: number): boolean {
  return index < text.length && LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(index)!));
}

/**
 * Replaces many literal values (lower-cased keys of `table`) in a text, case-insensitively, longest first at each
 * position. A hash lookup per candidate length instead of one regular expression of every value: that expression
 * grows with the tenant and every string of a report ran through it (a 10,000-user report took a minute).
 */
class LiteralMatcher {
  /** the first two characters of a key (or the whole one-character key) → the lengths of the keys so starting, longest first */
  private readonly lengths = new Map<string, number[]>();

  constructor(
    private readonly table: ReadonlyMap<string, string>,
    private readonly tokenBoundaries: boolean,
  ) {
    const sets = new Map<string, Set<number>>();
    for (const key of table.keys()) {
      const head = key.slice(0, 2);
      let set = sets.get(head);
      if (!set) sets.set(head, (set = new Set()));
      set.add(key.length);
    }
    for (const [head, set] of sets) this.lengths.set(head, [...set].sort((a, b) => b - a));
  }

  replace(text: string): string {
    if (this.table.size === 0) return text;
    const lower = text.toLowerCase();
    // a character whose lower case has another length would shift every position: match on the text itself then
    const haystack = lower.length === text.length ? lower : text;
    let out = '';
    let copied = 0;
    for (let i = 0; i < haystack.length; ) {
      const end = this.tokenBoundaries && letterOrDigitBefore(haystack, i) ? -1 : this.longestMatchAt(haystack, i);
      if (end < 0) {
        i++;
        continue;
      }
      out += text.slice(copied, i) + this.table.get(haystack.slice(i, end).toLowerCase())!;
      copied = i = end;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /** The end of the longest key found at `start` (whole tokens when so configured), or -1. */
  private longestMatchAt(haystack: string, start: number): number {
    for (const head of [haystack.slice(start, start + 2).toLowerCase(), haystack[start]!.toLowerCase()]) {
      for (const length of this.lengths.get(head) ?? []) {
        const end = start + length;
        if (end > haystack.length || (this.tokenBoundaries && letterOrDigitAt(haystack, end))) continue;
        if (this.table.has(haystack.slice(start, end).toLowerCase())) return end;
      }
    }
    return -1;
  }
}
