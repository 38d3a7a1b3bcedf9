import { BUILT_IN_PROFILE_IDS, isBuiltInProfileId, listBuiltInProfiles, loadBuiltInProfile, parseVendorProfileText, type VendorProfile } from '../../../shared/vendors/index.ts';
import { UserFacingError } from '../errors.ts';
import type { ProjectRecord, WorkspaceStore } from '../workspace/store.ts';

/** The vendor a project has before the admin chooses one: a standards-following SCIM 2.0 service. */
const DEFAULT_VENDOR_ID = 'generic';

export interface VendorEntry {
  id: string;
  name: string;
  builtIn: boolean;
  summary: string;
}

const entryOf = (profile: VendorProfile, builtIn: boolean): VendorEntry => ({ id: profile.id, name: profile.name, builtIn, summary: profile.product });

function invalid(message: string): UserFacingError {
  return new UserFacingError('invalid-input', message);
}

/** A stored custom profile, validated again: a profile the format no longer accepts is named with its problems. */
function parseStored(id: string, json: string): VendorProfile {
  const parsed = parseVendorProfileText(json);
  if (!parsed.ok) {
    throw invalid(`The custom vendor profile "${id}" in this workspace is not valid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}. Import it again.`);
  }
  return parsed.profile;
}

/** Every vendor profile a project can choose: the built-in ones, then its custom ones. */
export function projectVendorEntries(store: WorkspaceStore, projectId: number): VendorEntry[] {
  const custom = store.vendorProfiles.list(projectId).map((p) => ({ id: p.id, name: p.name, builtIn: false, summary: summaryOf(p.id, p.profileJson) }));
  return [...listBuiltInProfiles().map((p) => entryOf(p, true)), ...custom];
}

function summaryOf(id: string, json: string): string {
  try {
    return parseStored(id, json).product;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The one place a vendor id becomes a profile, for the preview, the mock server and reports alike. */
export function vendorProfileOf(store: WorkspaceStore, projectId: number, vendorId: string): VendorProfile {
  if (isBuiltInProfileId(vendorId)) return loadBuiltInProfile(vendorId);
  const stored = store.vendorProfiles.get(projectId, vendorId);
  if (!stored) {
    const custom = store.vendorProfiles.list(projectId).map((p) => p.id);
    throw invalid(`There is no vendor profile "${vendorId}". Built-in: ${BUILT_IN_PROFILE_IDS.join(', ')}${custom.length ? `; this project's own: ${custom.join(', ')}` : ''}.`);
  }
  return parseStored(vendorId, stored.profileJson);
}

/** The project's vendor id: the one the admin chose, else the default. */
export function projectVendorId(project: ProjectRecord): string {
  return project.vendorId ?? DEFAULT_VENDOR_ID;
}

/** The project's vendor profile (docs/architecture.md, "Services"): Preview, Mock server, Provisioning and Reports read it. */
export function projectVendorProfile(store: WorkspaceStore, project: ProjectRecord): VendorProfile {
  return vendorProfileOf(store, project.id, projectVendorId(project));
}

/** Chooses the project's vendor; an id that names no profile of the project is refused, nothing is written. */
export function setProjectVendor(store: WorkspaceStore, project: ProjectRecord, vendorId: string): VendorProfile {
  const profile = vendorProfileOf(store, project.id, vendorId);
  store.setProjectVendor(project.id, profile.id);
  return profile;
}

/**
 * Imports an admin-defined profile into the project. Its id may not shadow a built-in profile; an existing custom
 * profile with the same id is replaced only when the admin says so.
 */
export function importVendorProfile(store: WorkspaceStore, projectId: number, text: string, replace: boolean): VendorEntry {
  const parsed = parseVendorProfileText(text);
  if (!parsed.ok) {
    const shown = parsed.issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`);
    const more = parsed.issues.length > shown.length ? ` (and ${parsed.issues.length - shown.length} more)` : '';
    throw invalid(`The vendor profile is not valid: ${shown.join('; ')}${more}.`);
  }
  const profile = parsed.profile;
  if (isBuiltInProfileId(profile.id)) throw invalid(`The profile's id "${profile.id}" is a built-in profile's; give your profile another id.`);
  if (!replace && store.vendorProfiles.get(projectId, profile.id)) {
    throw new UserFacingError('confirmation-required', `This project already has a vendor profile "${profile.id}"; import it again with Replace to update it.`);
  }
  store.vendorProfiles.save(projectId, { id: profile.id, name: profile.name, profileJson: text });
  return entryOf(profile, false);
}
