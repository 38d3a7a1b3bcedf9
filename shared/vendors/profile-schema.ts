import { z } from 'zod';
import { compileValuePattern } from '../scim/value-formats.ts';

/**
 * The vendor profile file format (docs/vendor-profiles.md). A profile says what one vendor's SCIM service
 * accepts, as its Entra guide states it, and every rule in it carries a citation anyone can follow: the section
 * heading of the vendor's published guide, of a Microsoft Learn article or of an RFC. Where the guide says
 * nothing, the profile records a silence instead of guessing, so a finding never claims more than the vendor wrote.
 */

const PROFILE_FORMAT_VERSION = 1;

const SEVERITIES = ['error', 'warning', 'info'] as const;
const SeveritySchema = z.enum(SEVERITIES);

/**
 * A place a rule comes from: a section of a published source (a heading such as "Before you start", or "§4.1.1"
 * of an RFC), or for an admin's own notes a line (or line range) of that document.
 */
const CitationSchema = z
  .strictObject({
    /** a key of the profile's `sources` */
    ref: z.string().min(1),
    line: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]).optional(),
    section: z.string().min(1).optional(),
  })
  .refine((cite) => cite.line !== undefined || cite.section !== undefined, {
    message: 'a citation needs a "line" (of the admin\'s own notes) or a "section" (a heading of the cited document)',
  });
export type Citation = z.infer<typeof CitationSchema>;

const Cites = z.array(CitationSchema).min(1, { message: 'every rule must cite at least one source line or section' });

const SourceSchema = z.strictObject({
  /** the document as a reader finds it: publisher and title, e.g. Microsoft Learn "Known issues for provisioning in Microsoft Entra ID" */
  title: z.string().min(1),
  /** the admin's local copy of the document; never shown in findings or reports */
  file: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
});

/** One fact about the vendor with its citation; `note` says it in the admin's words. */
function fact<T extends z.ZodType>(value: T) {
  return z.strictObject({ value, note: z.string().optional(), cite: Cites });
}

/** A regular expression from the profile: it runs on data, so only the linear-time engine may run it (issue 19). */
function linearRegex(options: { ignoreCase?: boolean } = {}) {
  return z.string().superRefine((pattern, context) => {
    const compiled = compileValuePattern(pattern, options);
    if (!compiled.ok) context.addIssue({ code: 'custom', message: compiled.message });
  });
}

const ATTRIBUTE_TYPES = ['String', 'Boolean', 'Integer', 'DateTime', 'Reference', 'Binary'] as const;

/** Named formats the rule engine knows; anything else is a regular expression the value must match. */
const NAMED_FORMATS = ['email', 'date', 'dateTime'] as const;
const FormatSchema = z.union([
  z.enum(NAMED_FORMATS),
  z.strictObject({
    pattern: linearRegex(),
    /** how the format reads in a message, e.g. "a folder GUID" */
    description: z.string().min(1),
  }),
]);
export type ValueFormat = z.infer<typeof FormatSchema>;

const AttributeRuleSchema = z.strictObject({
  /**
   * The target attribute exactly as Entra names it (`name.givenName`, `emails[type eq "work"].value`,
   * `urn:…:hithrive:1.0:User:hire_date`). A `{placeholder}` segment stands for any text without `:`
   * (the Forms On Fire metadata keys).
   */
  target: z.string().min(1),
  type: z.enum(ATTRIBUTE_TYPES).default('String'),
  required: z.boolean().default(false),
  multivalued: z.boolean().default(false),
  format: FormatSchema.nullable().default(null),
  allowedValues: z.array(z.string()).min(1).nullable().default(null),
  /** whether allowed values compare case-sensitively */
  caseSensitive: z.boolean().default(true),
  /** two users may not send the same value */
  unique: z.boolean().default(false),
  /** whether the vendor supports `eq` filters on it; null when the guide is silent */
  filterable: z.boolean().nullable().default(null),
  /** a custom target: it must be added under "Edit attribute list for customappsso" before it can be mapped */
  custom: z.boolean().default(false),
  /** the vendor recommends a "Default value if null" on this row */
  defaultRecommended: z.boolean().default(false),
  /** values with leading or trailing spaces do not match on the vendor's side */
  noSurroundingSpaces: z.boolean().default(false),
  note: z.string().optional(),
  cite: Cites,
});
export type AttributeRule = z.infer<typeof AttributeRuleSchema>;

const UNLISTED_KINDS = ['filtered-default', 'unsupported', 'needs-vendor-setup', 'allowed'] as const;

/** What happens to a mapped target the profile does not list; the first rule whose `match` fits decides. */
const UnlistedTargetRuleSchema = z.strictObject({
  /** a regular expression tested (case-insensitively) against the target attribute name */
  match: linearRegex({ ignoreCase: true }),
  kind: z.enum(UNLISTED_KINDS),
  severity: SeveritySchema,
  /** what the vendor does with such a target, in one sentence */
  reason: z.string().min(1),
  cite: Cites,
});

const ApplySchema = z.enum(['Always', 'ObjectAddOnly']);

const RowToRemoveSchema = z.strictObject({
  target: z.string().min(1),
  /** only the row fed by this source attribute (e.g. mailNickname); absent = any row on the target */
  source: z.string().min(1).optional(),
  severity: SeveritySchema,
  reason: z.string().min(1),
  cite: Cites,
});

const RowToAddSchema = z.strictObject({
  target: z.string().min(1),
  /** the source expression to map; null when the guide leaves the source to the admin */
  expression: z.string().min(1).nullable(),
  /** the existing row must use this expression (true for rows the vendor matches or keys on) */
  enforceSource: z.boolean().default(false),
  matchingPrecedence: z.number().int().min(1).optional(),
  defaultValue: z.string().optional(),
  apply: ApplySchema.default('Always'),
  /** the entry for "Edit attribute list" when the target is custom */
  attributeListEntry: z.strictObject({ type: z.enum(ATTRIBUTE_TYPES), multivalued: z.boolean().default(false) }).optional(),
  severity: SeveritySchema,
  reason: z.string().min(1),
  cite: Cites,
});

const RowToKeepSchema = z.strictObject({
  target: z.string().min(1),
  expression: z.string().min(1),
  severity: SeveritySchema,
  reason: z.string().min(1),
  cite: Cites,
});

const RecommendedMappingsSchema = z.strictObject({
  remove: z.array(RowToRemoveSchema).default([]),
  add: z.array(RowToAddSchema).default([]),
  keep: z.array(RowToKeepSchema).default([]),
  /** the attribute Entra should match users on, and at which precedence */
  matching: z.strictObject({ target: z.string().min(1), precedence: z.number().int().min(1), cite: Cites }).nullable().default(null),
  /** the "Provision Microsoft Entra ID Groups" object mapping */
  groups: z.strictObject({ mapping: z.enum(['enabled', 'disabled', 'either']), note: z.string().optional(), cite: Cites }),
});

const FeaturesSchema = z.strictObject({
  users: fact(z.boolean()),
  groups: fact(z.enum(['supported', 'unsupported', 'unknown'])),
  /** PATCH dialect the vendor accepts: Entra's default, the aadOptscim062020 one, either, or unknown */
  patchDialect: fact(z.enum(['default', 'aadOptscim062020', 'either', 'unknown'])),
  /** booleans in PATCH: JSON true/false only, Entra's "True"/"False" strings, either, or unknown */
  booleans: fact(z.enum(['json', 'string', 'either', 'unknown'])),
  /** what `active: false` does on the vendor side */
  deprovision: fact(z.enum(['deactivate', 'delete', 'unknown'])),
  bulk: fact(z.enum(['supported', 'unsupported', 'unknown'])),
  /** the only attributes `GET /Users?filter=` works on; null = not stated (any attribute assumed) */
  filterableAttributes: fact(z.array(z.string().min(1)).nullable()),
});

const ConnectionSchema = z.strictObject({
  tenantUrl: z.strictObject({ label: z.string().min(1), where: z.string().min(1), cite: Cites }),
  secretToken: z.strictObject({ label: z.string().min(1), where: z.string().min(1), expires: z.boolean().nullable(), cite: Cites }),
  notes: z.array(z.strictObject({ text: z.string().min(1), cite: Cites })).default([]),
});

const GroupNameRuleSchema = z.strictObject({
  forbiddenCharacters: z.array(z.string().length(1)).min(1),
  reason: z.string().min(1),
  cite: Cites,
});

const VendorProfileSchema = z
  .strictObject({
    formatVersion: z.literal(PROFILE_FORMAT_VERSION),
    /** lower-case slug used by the CLI (`--vendor hithrive`) and in files */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'use lower-case letters, digits and "-"' }),
    name: z.string().min(1),
    product: z.string().min(1),
    sources: z.record(z.string().min(1), SourceSchema).refine((s) => Object.keys(s).length > 0, { message: 'list at least one source' }),
    connection: ConnectionSchema,
    features: FeaturesSchema,
    attributes: z.array(AttributeRuleSchema),
    unlistedTargets: z.array(UnlistedTargetRuleSchema).default([]),
    recommendedMappings: RecommendedMappingsSchema,
    groupNames: GroupNameRuleSchema.nullable().default(null),
    /** every date-like value the vendor receives must be a plain YYYY-MM-DD date (Thrive) */
    dateValues: z.strictObject({ severity: SeveritySchema, reason: z.string().min(1), cite: Cites }).nullable().default(null),
    rateLimits: z.strictObject({
      requestsPerSecond: z.number().positive().nullable(),
      /** optional limits per minute, for the first cycle's forecast (issue 15); `cite` is their source */
      requestsPerMinute: z.number().positive().nullable().optional(),
      createsPerMinute: z.number().positive().nullable().optional(),
      note: z.string().min(1),
      cite: Cites,
    }),
    syncInterval: z.strictObject({ minutes: z.number().positive().nullable(), note: z.string().min(1), cite: Cites }),
    /** what the guide does not say, so findings never assume it */
    silences: z.array(z.strictObject({ topic: z.string().min(1), note: z.string().min(1), cite: Cites })).default([]),
  })
  .superRefine((profile, ctx) => {
    // Every citation must name a declared source, so a finding's "Source:" always names a document a reader can open.
    const known = new Set(Object.keys(profile.sources));
    visitCitations(profile, [], (cite, path) => {
      if (!known.has(cite.ref)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'ref'], message: `unknown source "${cite.ref}"; declare it under "sources"` });
      }
    });
    const seen = new Map<string, number>();
    profile.attributes.forEach((attribute, index) => {
      const key = attribute.target.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['attributes', index, 'target'], message: `"${attribute.target}" is already listed at attributes[${first}]` });
      } else seen.set(key, index);
    });
  });
export type VendorProfile = z.infer<typeof VendorProfileSchema>;

type PathSegment = string | number;

function visitCitations(value: unknown, path: PathSegment[], visit: (cite: Citation, path: PathSegment[]) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => visitCitations(item, [...path, index], visit));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'cite' && Array.isArray(child)) {
      child.forEach((cite, index) => visit(cite as Citation, [...path, key, index]));
    } else if (key !== 'sources') {
      visitCitations(child, [...path, key], visit);
    }
  }
}

/** `attributes[3].format` — the JSON path of a bad field, as an admin reads it. */
function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const name = String(segment);
      text += /^[A-Za-z_$][\w$]*$/.test(name) ? `${text === '' ? '' : '.'}${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return text === '' ? '(root)' : text;
}

interface ProfileIssue {
  /** JSON path of the bad field, e.g. `attributes[3].format` */
  path: string;
  message: string;
}

type ParseProfileResult = { ok: true; profile: VendorProfile } | { ok: false; issues: ProfileIssue[] };

/** Validates a profile document (a built-in one or one an admin imports); issues name the bad field's path. */
export function parseVendorProfile(json: unknown): ParseProfileResult {
  const parsed = VendorProfileSchema.safeParse(json);
  if (parsed.success) return { ok: true, profile: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
  };
}

/** Parses the text of a profile file: JSON errors and format errors both come back as issues. */
export function parseVendorProfileText(text: string): ParseProfileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return parseVendorProfile(json);
}

export class VendorProfileError extends Error {
  readonly issues: readonly ProfileIssue[];
  constructor(what: string, issues: readonly ProfileIssue[]) {
    super(`${what} is not a valid vendor profile:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'VendorProfileError';
    this.issues = issues;
  }
}

function describeLocation(cite: Citation): string {
  if (cite.line !== undefined) return Array.isArray(cite.line) ? `lines ${cite.line[0]}–${cite.line[1]}` : `line ${cite.line}`;
  return cite.section ?? '';
}

/**
 * A document with its places, as a reader looks them up: an RFC's section signs follow its title ("RFC 7644 §3.5.2,
 * §3.12"), headings are quoted after a comma (Microsoft Learn "…", "Deprovisioning"), and "introduction" or
 * "all sections" stay as words.
 */
export function placesOf(title: string, places: readonly string[]): string {
  if (places.length === 0) return title;
  const shown = places.map((place) => (/^(§|lines? \d)/.test(place) || place === 'introduction' || place === 'all sections' ? place : `"${place}"`));
  return `${title}${places[0]!.startsWith('§') || places[0]!.startsWith('line') ? ' ' : ', '}${shown.join(', ')}`;
}

/** Several citations, grouped by source and without repeats: 'HiThrive help center "…", "Before you start"'. */
export function describeCitations(profile: Pick<VendorProfile, 'sources'>, cites: readonly Citation[]): string {
  const bySource = new Map<string, string[]>();
  for (const cite of cites) {
    const places = bySource.get(cite.ref) ?? [];
    bySource.set(cite.ref, places);
    const place = describeLocation(cite);
    if (!places.includes(place)) places.push(place);
  }
  return [...bySource]
    .map(([ref, places]) => {
      const title = profile.sources[ref]?.title ?? ref;
      const lines = places.filter((p) => p.startsWith('line'));
      const sections = places.filter((p) => !p.startsWith('line'));
      const lineText = lines.length === 0 ? [] : [`line${lines.length > 1 || lines[0]!.startsWith('lines') ? 's' : ''} ${lines.map((l) => l.replace(/^lines? /, '')).join(', ')}`];
      return placesOf(title, [...lineText, ...sections]);
    })
    .join('; ');
}
