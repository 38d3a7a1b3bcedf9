/**
 * A discovered profile against the admin's plan: the same vendor rules every profile drives (shared/vendors), run
 * on the mapping set and, with users, on the preview's values, sorted into what discovery can tell an admin.
 */
import type { PlanDifference } from '../../../shared/api/endpoint-check.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import type { Finding } from '../../../shared/preview/types.ts';
import { vendorMappingFindings, type VendorProfile } from '../../../shared/vendors/index.ts';
import { previewUsers } from '../services/preview.ts';

const KIND_OF_CODE: Record<string, PlanDifference['kind']> = {
  VENDOR_TARGET_UNSUPPORTED: 'undeclared-target',
  VENDOR_REQUIRED_NOT_MAPPED: 'required-not-mapped',
  VENDOR_REQUIRED_MISSING: 'required-not-mapped',
  VENDOR_FORMAT: 'type-mismatch',
  VENDOR_VALUE_NOT_ALLOWED: 'value-outside-canonical',
};

/** The mapping's declared target type (the attribute list of the job's schema) against the type the vendor declares. */
function declaredTypeDifferences(profile: VendorProfile, set: MappingSet): PlanDifference[] {
  const compiled = compileMappingSet(set);
  const differences: PlanDifference[] = [];
  for (const row of compiled.rows) {
    if (row.isManager) continue;
    const rule = profile.attributes.find((a) => a.target.toLowerCase() === row.target.toLowerCase());
    if (!rule) continue;
    if (rule.type !== row.info.type) {
      differences.push({
        kind: 'type-mismatch', severity: 'warning', target: row.target, code: 'DISCOVERED_TYPE',
        message: `The mapping's attribute list types ${row.target} as ${row.info.type}; the service declares ${rule.type}. Change the type under "Edit attribute list" so Entra sends the value the service expects.`,
      });
    }
    if (/mutability readOnly/.test(rule.note ?? '')) {
      differences.push({
        kind: 'read-only-target', severity: 'error', target: row.target, code: 'DISCOVERED_READ_ONLY',
        message: `The service declares ${row.target} read-only: it will refuse or ignore every value Entra sends. Delete the mapping.`,
      });
    }
  }
  return differences;
}

function toDifference(finding: Finding): PlanDifference {
  return { kind: KIND_OF_CODE[finding.code] ?? 'other', severity: finding.severity, target: finding.attribute ?? null, message: finding.message, code: finding.code };
}

/** The differences between a (discovered) profile and the plan; with users, the preview's values are checked too. */
export async function diffAgainstPlan(profile: VendorProfile, set: MappingSet, users?: readonly SourceObject[]): Promise<PlanDifference[]> {
  const structural = declaredTypeDifferences(profile, set);
  if (!users || users.length === 0) {
    const compiled = compileMappingSet(set);
    return [...structural, ...vendorMappingFindings(profile, set, { dialect: compiled.dialect, managerOutOfScope: 0 }).map(toDifference)];
  }
  const { preview, vendor } = await previewUsers({ set, users: [...users], profile });
  // The vendor rules already sum per-user findings into one line per target; the count of users is added to it.
  const counts = new Map<string, number>();
  for (const finding of preview.users.flatMap((user) => user.findings)) {
    const key = `${finding.code}\u0000${finding.attribute ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [
    ...structural,
    ...vendor.filter((f) => f.userId === undefined).map((finding) => {
      const count = counts.get(`${finding.code}\u0000${finding.attribute ?? ''}`);
      return count === undefined ? toDifference(finding) : { ...toDifference(finding), users: count };
    }),
  ];
}
