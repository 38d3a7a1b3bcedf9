/**
 * The synthetic test data an endpoint check provisions: users and a group derived from the plan (a sample user of the
 * admin's own file keeps its other attributes, so the POST carries what the real ones will), each marked with the
 * run id in every identifying value, so the vendor's admins (and this run's cleanup) can tell them from real data.
 */
import type { SourceObject, SourceValue } from '../../../shared/directory/source-object.ts';

/** A short random id: 8 hex digits, the first group of every synthetic objectId. */
export function newRunId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** An objectId that is a valid GUID and starts with the run id, so externalId ← objectId carries the mark too. */
function syntheticObjectId(runId: string, n: number): string {
  return `${runId}-5c1a-4c4e-8000-${String(n).padStart(12, '0')}`;
}

const FALLBACK_USER: SourceObject = {
  accountEnabled: true,
  jobTitle: 'Provisioning test',
  department: 'IT',
  city: 'Redmond',
  country: 'US',
  preferredLanguage: 'en-US',
  usageLocation: 'US',
};

function domainOf(sample: SourceObject | undefined): string {
  const upn = sample?.userPrincipalName;
  const at = typeof upn === 'string' ? upn.lastIndexOf('@') : -1;
  return at > 0 && typeof upn === 'string' ? upn.slice(at + 1) : 'example.com';
}

interface TestUser {
  role: 'manager' | 'employee';
  source: SourceObject;
}

/**
 * The manager and the employee: the sample's attributes with every name, address and id replaced by values carrying
 * the run id; the employee's manager is the synthetic manager, never a real person.
 */
export function syntheticUsers(runId: string, sample: SourceObject | undefined): [TestUser, TestUser] {
  const base: Record<string, SourceValue> = { ...(sample ?? FALLBACK_USER) };
  const domain = domainOf(sample);
  const make = (n: number, role: TestUser['role'], manager: string | null): TestUser => {
    const alias = `scimcheck-${runId}-${n}`;
    const source: Record<string, SourceValue> = {
      ...base,
      objectId: syntheticObjectId(runId, n),
      userPrincipalName: `${alias}@${domain}`,
      mail: `${alias}@${domain}`,
      mailNickname: alias,
      displayName: `SCIM check ${runId} ${role}`,
      givenName: `SCIM check ${n}`,
      surname: `Test ${runId}`,
      employeeId: `SC${runId}${n}`,
      otherMails: [],
      proxyAddresses: [`SMTP:${alias}@${domain}`],
      accountEnabled: true,
      IsSoftDeleted: false,
      manager,
    };
    return { role, source };
  };
  const manager = make(1, 'manager', null);
  return [manager, make(2, 'employee', String(manager.source.objectId))];
}

/** The employee after an HR change of one attribute, or of several at once (the run id stays in every value). */
export function changedUser(source: SourceObject, runId: string, which: 'one' | 'several'): SourceObject {
  if (which === 'one') return { ...source, jobTitle: `SCIM check title ${runId}` };
  return {
    ...source,
    displayName: `${String(source.displayName)} (changed)`,
    jobTitle: `SCIM check title ${runId} (changed)`,
    department: `SCIM check department ${runId}`,
    givenName: `${String(source.givenName)} changed`,
    surname: `${String(source.surname)} changed`,
  };
}

/** The test group, with the test users as its direct members. */
export function syntheticGroup(runId: string, memberIds: readonly string[]): SourceObject {
  return {
    objectId: syntheticObjectId(runId, 90),
    displayName: `SCIM check ${runId} group`,
    mailNickname: `scimcheck-${runId}-group`,
    description: `Test group of the SCIM Planner endpoint check ${runId}`,
    securityEnabled: true,
    mailEnabled: false,
    members: [...memberIds],
  };
}
