/**
 * Which users the expression check sends to Entra. By default a handful chosen to cover what breaks expressions
 * (issue 14): an attribute the mappings read that is empty, a guest whose UPN carries #EXT#, a disabled account,
 * a non-ASCII name, a long value, no manager; then the first users to fill the sample.
 */
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';

export const DEFAULT_SAMPLE_SIZE = 8;
/** a value this long is likely to meet a Left/Mid/length limit in an expression */
const LONG_VALUE = 64;

/** what the traits read besides the user: the attributes the rows use, and who is a guest */
interface SampleContext {
  read: readonly string[];
  guests: ReadonlySet<string>;
}
type Trait = { name: string; has: (user: SourceObject, context: SampleContext) => boolean };

const strings = (user: SourceObject, names: readonly string[]): string[] =>
  names.flatMap((name) => {
    const value = user[name];
    return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  });

const TRAITS: readonly Trait[] = [
  { name: 'an attribute the mappings read is empty', has: (user, { read }) => read.some((name) => user[name] === null || user[name] === undefined || user[name] === '') },
  // the engine strips #EXT# from a guest's source UPN (graph-to-source.ts), so guests are told apart by the Graph user
  { name: 'a guest (#EXT# in the UPN)', has: (user, { guests }) => guests.has(String(user.objectId ?? '')) },
  { name: 'disabled', has: (user) => user.accountEnabled === false },
  { name: 'non-ASCII characters', has: (user, { read }) => strings(user, read).some((value) => [...value].some((char) => char.codePointAt(0)! > 0x7f)) },
  { name: 'a long value', has: (user, { read }) => strings(user, read).some((value) => value.length >= LONG_VALUE) },
  { name: 'no manager', has: (user) => user.manager === null || user.manager === undefined },
];

export interface SampledUser {
  user: SourceObject;
  /** why it was chosen: the traits it covers, or "named" / "fills the sample" */
  reasons: string[];
}

/** A B2B guest as Graph lists it: userType Guest, or #EXT# in its UPN. */
export function isGuestUser(user: GraphUser): boolean {
  return user.userType === 'Guest' || (typeof user.userPrincipalName === 'string' && user.userPrincipalName.includes('#EXT#'));
}

/** `read` is every source attribute the checked rows reference; `guests` the object ids of guests (isGuestUser). */
export function chooseSample(users: readonly SourceObject[], read: readonly string[], size = DEFAULT_SAMPLE_SIZE, guests: ReadonlySet<string> = new Set()): SampledUser[] {
  const context: SampleContext = { read, guests };
  const chosen = new Map<SourceObject, string[]>();
  for (const trait of TRAITS) {
    if (chosen.size >= size) break;
    if ([...chosen.keys()].some((user) => trait.has(user, context))) {
      for (const [user, reasons] of chosen) if (trait.has(user, context) && !reasons.includes(trait.name)) reasons.push(trait.name);
      continue;
    }
    const user = users.find((candidate) => !chosen.has(candidate) && trait.has(candidate, context));
    if (user) chosen.set(user, TRAITS.filter((t) => t.has(user, context)).map((t) => t.name));
  }
  for (const user of users) {
    if (chosen.size >= size) break;
    if (!chosen.has(user)) chosen.set(user, ['fills the sample']);
  }
  return [...chosen].map(([user, reasons]) => ({ user, reasons }));
}

/** The users the admin named, by UPN or object id (case-insensitive); an unknown name is an error naming it. */
export function namedUsers(users: readonly SourceObject[], names: readonly string[]): SampledUser[] {
  return names.map((name) => {
    const wanted = name.toLowerCase();
    const user = users.find((u) => String(u.userPrincipalName ?? '').toLowerCase() === wanted || String(u.objectId ?? '').toLowerCase() === wanted);
    if (!user) throw new UnknownUserError(name);
    return { user, reasons: ['named'] };
  });
}

export class UnknownUserError extends Error {
  override readonly name = 'UnknownUserError';
  constructor(readonly user: string) {
    super(`No user "${user}" in the users file (give a userPrincipalName or object id from it).`);
  }
}
