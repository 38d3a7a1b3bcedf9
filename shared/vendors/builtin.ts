import formsonfire from '../../resources/vendors/formsonfire.json' with { type: 'json' };
import generic from '../../resources/vendors/generic.json' with { type: 'json' };
import haiilo from '../../resources/vendors/haiilo.json' with { type: 'json' };
import hector from '../../resources/vendors/hector.json' with { type: 'json' };
import hithrive from '../../resources/vendors/hithrive.json' with { type: 'json' };
import thrive from '../../resources/vendors/thrive.json' with { type: 'json' };
import { parseVendorProfile, VendorProfileError, type VendorProfile } from './profile-schema.ts';

/**
 * The built-in profiles, one JSON file each under resources/vendors/ (the same format admins import).
 * They are bundled as JSON modules so shared/ stays free of file-system access.
 */
const DOCUMENTS: Readonly<Record<string, unknown>> = Object.freeze({ hithrive, haiilo, thrive, formsonfire, hector, generic });

export const BUILT_IN_PROFILE_IDS = Object.freeze(['hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector', 'generic'] as const);
type BuiltInProfileId = (typeof BUILT_IN_PROFILE_IDS)[number];

const cache = new Map<string, VendorProfile>();

export function isBuiltInProfileId(id: string): id is BuiltInProfileId {
  return (BUILT_IN_PROFILE_IDS as readonly string[]).includes(id);
}

/** A built-in profile by id; throws for an unknown id or (a packaging bug) a built-in file that fails the schema. */
export function loadBuiltInProfile(id: string): VendorProfile {
  const hit = cache.get(id);
  if (hit) return hit;
  if (!isBuiltInProfileId(id)) {
    throw new Error(`Unknown vendor profile "${id}". Built-in profiles: ${BUILT_IN_PROFILE_IDS.join(', ')}.`);
  }
  const parsed = parseVendorProfile(DOCUMENTS[id]);
  if (!parsed.ok) throw new VendorProfileError(`resources/vendors/${id}.json`, parsed.issues);
  cache.set(id, parsed.profile);
  return parsed.profile;
}

export function listBuiltInProfiles(): VendorProfile[] {
  return BUILT_IN_PROFILE_IDS.map((id) => loadBuiltInProfile(id));
}
