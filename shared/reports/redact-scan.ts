import type { SourceObject } from '../directory/source-object.ts';
import { PERSONAL_ATTRIBUTES, Redactor, tenantDomainOf, type RedactionMode } from './redact.ts';

/**
 * Which users a report's redaction has to know, found without holding the tenant (issue 18). The Redactor replaces
 * the real values it knows, and a report names only a few users, but its texts (finding messages, the mapping's
 * constants, a provisioning log, Microsoft's check) may quote a value of any user. So every user is read once, a
 * batch at a time, and kept only when it is a sample user (or a sample's manager) or one of its personal values occurs
 * in the report's texts: the redactor built from those replaces every real value the report holds, as one built from
 * every user would.
 */
export class RedactionScan {
  private readonly kept: SourceObject[] = [];
  private readonly domains = new Set<string>();
  /** the quoted values a kept user already brings (lower-cased): a copy of one brings nothing more */
  private readonly covered = new Set<string>();
  private readonly index: TextIndex;

  constructor(
    texts: Iterable<string>,
    /** object ids of the users kept whatever their values (the sample users and their managers) */
    private readonly wanted: ReadonlySet<string>,
  ) {
    this.index = new TextIndex([...texts].join('\n'));
  }

  /** Reads one user of the snapshot (every user, in snapshot order, so the pseudonyms do not depend on batching). */
  add(user: SourceObject): void {
    const domain = tenantDomainOf(user);
    if (domain !== null) this.domains.add(domain);
    if (this.wanted.has(String(user.objectId ?? '')) || this.quoted(user)) this.kept.push(user);
  }

  /** Whether the user has a personal value the texts quote that no kept user has (so the kept stay few). */
  private quoted(user: SourceObject): boolean {
    let fresh = false;
    const check = (value: unknown) => {
      if (typeof value !== 'string' || !this.index.occurs(value)) return;
      const key = value.toLowerCase();
      if (!this.covered.has(key)) fresh = true;
      this.covered.add(key);
    };
    for (const attribute of PERSONAL_KEYS) {
      const value = user[attribute];
      if (Array.isArray(value)) value.forEach(check);
      else check(value);
    }
    return fresh;
  }

  /**
   * What a part of the snapshot scanned apart (a preview worker's chunk) hands back: the users it kept and every tenant
   * domain it met, both in snapshot order. Scanning those parts' findings again, in snapshot order, with the domains
   * first (`addFound`), keeps exactly the users one scan of every user keeps: a user a part skipped had every quoted value
   * in an earlier user of that part, and the first user of a part with a value is always kept.
   */
  found(): RedactionScanPart {
    return { users: this.kept, domains: [...this.domains] };
  }

  /** A part's findings (`found`), parts given in snapshot order. */
  addFound(part: RedactionScanPart): void {
    for (const domain of part.domains) this.domains.add(domain);
    for (const user of part.users) this.add(user);
  }

  /** How many users the redactor knows (the bench and the tests read it). */
  get keptUsers(): number {
    return this.kept.length;
  }

  redactor(mode: RedactionMode): Redactor {
    return new Redactor(mode, this.kept, this.domains);
  }
}

/** One part of the snapshot's users (a preview chunk, in snapshot order) scanned on its own: its `found()`. */
export function scanPart(texts: Iterable<string>, wanted: Iterable<string>, users: Iterable<SourceObject>): RedactionScanPart {
  const scan = new RedactionScan(texts, new Set(wanted));
  for (const user of users) scan.add(user);
  return scan.found();
}

/** The kept users and the tenant domains of a scanned part of the snapshot, in snapshot order. */
export interface RedactionScanPart {
  users: SourceObject[];
  domains: string[];
}

const PERSONAL_KEYS = Object.keys(PERSONAL_ATTRIBUTES);

/** Every string of a JSON-like value, object keys included (what Redactor.scrubDeep rewrites). */
export function* stringsOf(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsOf(item);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      yield key;
      yield* stringsOf(item);
    }
  }
}

/** Substrings of this length (and every shorter one) are indexed: a value is looked for only when its pieces all are. */
const GRAM = 4;

/**
 * A report's text, asked "does this value occur in you?" a million times. A value's first, middle and last
 * GRAM-character pieces are looked up in a set before the text is searched, so a user none of whose values appear
 * costs a few hash lookups. It answers yes wherever the Redactor's scrub would replace the value (whole tokens in any
 * case, or URL-encoded anywhere: the text is also indexed percent-decoded), and sometimes where it would not (inside a
 * longer word), which only makes the redactor know one user more.
 */
class TextIndex {
  private readonly texts: string[];
  private readonly grams = new Set<string>();

  constructor(text: string) {
    const lower = text.toLowerCase();
    this.texts = [...new Set([lower, percentDecoded(lower), percentDecoded(lower.replace(/\+/g, ' '))])];
    for (const t of this.texts) {
      for (let i = 0; i < t.length; i++) for (let n = 1; n <= GRAM && i + n <= t.length; n++) this.grams.add(t.slice(i, i + n));
    }
  }

  occurs(value: string): boolean {
    if (value.trim() === '') return false;
    const v = value.toLowerCase();
    if (v.length <= GRAM) {
      if (!this.grams.has(v)) return false;
    } else {
      const middle = (v.length - GRAM) >> 1;
      if (!this.grams.has(v.slice(0, GRAM)) || !this.grams.has(v.slice(middle, middle + GRAM)) || !this.grams.has(v.slice(v.length - GRAM))) return false;
    }
    return this.texts.some((t) => t.includes(v));
  }
}

/** `%xx` runs decoded where they are valid UTF-8, the rest left as written. */
function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9a-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
