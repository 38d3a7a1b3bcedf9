import type { HandlersFor, SourceAttributeDto } from '../../../shared/api.ts';
import type { mappingsMethods } from '../../../shared/api/mappings.ts';
import { groupSourceAttributes, isDirectoryExtensionName, userSourceAttributes, type SourceAttributeDefinition } from '../../../shared/directory/source-schema.ts';
import { exportMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import type { Finding } from '../../../shared/preview/types.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { applyAllFixes, applyFix, FixNotApplicableError, listBuiltInProfiles, vendorFindings, type VendorProfile } from '../../../shared/vendors/index.ts';
import type { BackendContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { DEFAULT_TEMPLATE_LABEL, entraDefaultMappingSet, projectMappingSet } from '../services/mapping-sets.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import type { MappingRevision } from '../workspace/store.ts';

/**
 * A vendor's recommended set: Entra's defaults with every mechanical fix of the vendor's mapping-level
 * findings applied. Findings are computed without users (they are about the rows, not the data). A fix
 * that cannot apply to the bare template (the PATCH-dialect flag needs a tenant URL the template does
 * not carry) is left to the admin instead of failing the whole template.
 */
function recommendedMappingSet(profile: VendorProfile, base: MappingSet = entraDefaultMappingSet()): MappingSet {
  const preview = previewSnapshot({ set: base, users: [], vendor: profile.id });
  const findings = vendorFindings(profile, base, preview, { users: [], groups: [] });
  const applicable = findings.filter((finding) => finding.userId === undefined && appliesTo(base, finding, profile));
  return applyAllFixes(base, applicable, profile);
}

function appliesTo(set: MappingSet, finding: Finding, profile: VendorProfile): boolean {
  try {
    applyFix(set, finding, profile);
    return true;
  } catch (error) {
    if (error instanceof FixNotApplicableError) return false;
    throw error;
  }
}

/** Templates are pure functions of files shipped with the app: computed once per process. */
let templateCache: { id: string; name: string; description: string; vendorId: string | null; vendorName: string | null; mappingSet: MappingSet }[] | undefined;
function templates() {
  if (!templateCache) {
    const base = entraDefaultMappingSet();
    templateCache = [
      {
        id: 'entra-default',
        name: DEFAULT_TEMPLATE_LABEL,
        description: 'The attribute mappings Entra creates for a new non-gallery SCIM application.',
        vendorId: null,
        vendorName: null,
        mappingSet: base,
      },
      ...listBuiltInProfiles()
        .filter((profile) => profile.id !== 'generic')
        .map((profile) => ({
          id: profile.id,
          name: `${profile.name} recommended`,
          description: `Entra’s defaults changed the way the ${profile.product} guide asks.`,
          vendorId: profile.id,
          vendorName: profile.name,
          mappingSet: recommendedMappingSet(profile, base),
        })),
    ];
  }
  return templateCache;
}

const toSummary = (r: MappingRevision) => ({ revision: r.revision, label: r.label, createdAt: r.createdAt });

function attributeDto(definition: SourceAttributeDefinition, objectType: 'User' | 'Group', present: ReadonlySet<string>): SourceAttributeDto {
  return {
    name: definition.sourceName,
    objectType,
    type: definition.type,
    multiValued: definition.multiValued,
    availability: definition.availability,
    inSnapshot: present.has(definition.sourceName),
    notes: definition.notes ?? null,
  };
}

/** How far sourceSchema reads a snapshot for keys: enough for every attribute that occurs in practice, bounded for 100,000 users. */
const SCHEMA_SCAN_LIMIT = 5_000;

export function mappingsHandlers(ctx: BackendContext): HandlersFor<typeof mappingsMethods> {
  const revisions = (session: WorkspaceSession) => session.store.listMappingRevisions(session.projectId);
  const snapshotIdOf = (session: WorkspaceSession, snapshotId: number | undefined): number | null => {
    if (snapshotId !== undefined) return session.snapshot(snapshotId).id;
    return session.store.listSnapshots(session.projectId)[0]?.id ?? null;
  };

  return {
    'mappings.get': () => {
      const session = ctx.session();
      const { set, revision } = projectMappingSet(session.store, session.projectId);
      if (!revision) return { revision: null, label: DEFAULT_TEMPLATE_LABEL, createdAt: null, origin: 'template' as const, mappingSet: set };
      return { ...toSummary(revision), origin: 'revision' as const, mappingSet: JSON.parse(revision.schemaJson) as MappingSet };
    },
    'mappings.listRevisions': () => revisions(ctx.session()).map(toSummary),
    'mappings.getRevision': ({ revision }) => {
      const found = revisions(ctx.session()).find((r) => r.revision === revision);
      if (!found) throw notFound(`Mapping revision ${revision} does not exist in this project`);
      return { ...toSummary(found), mappingSet: JSON.parse(found.schemaJson) as MappingSet };
    },
    // the dispatcher has validated mappingSet against the synchronization schema (shared/api/define.ts)
    'mappings.save': ({ label, mappingSet }) => {
      const session = ctx.session();
      const saved = session.store.saveMappingRevision(session.projectId, label, JSON.stringify(exportMappingSet(mappingSet)));
      ctx.changed(session, { change: 'mapping-revision-saved', revision: saved.revision });
      return toSummary(saved);
    },
    'mappings.templates': () => templates().map((t) => ({ ...t, mappingSet: exportMappingSet(t.mappingSet) })),
    'mappings.sourceSchema': ({ snapshotId }) => {
      const session = ctx.session();
      const id = snapshotIdOf(session, snapshotId);
      const present = new Set<string>();
      if (id !== null) {
        let scanned = 0;
        for (const user of session.store.iterateUsers(id)) {
          for (const [key, value] of Object.entries(user.source)) if (value !== null && value !== undefined && value !== '') present.add(key);
          if (++scanned >= SCHEMA_SCAN_LIMIT) break;
        }
      }
      const attributes = userSourceAttributes.map((a) => attributeDto(a, 'User', present));
      // Directory extensions are tenant-specific: they come only from the snapshot's own keys.
      for (const name of [...present].filter(isDirectoryExtensionName).sort()) {
        attributes.push({ name, objectType: 'User', type: 'String', multiValued: false, availability: 'tenant', inSnapshot: true, notes: 'Directory extension of this tenant.' });
      }
      attributes.push(...groupSourceAttributes.map((a) => attributeDto(a, 'Group', new Set())));
      return { snapshotId: id, attributes };
    },
    'mappings.sampleSources': ({ snapshotId, search, limit }) => {
      const session = ctx.session();
      const id = snapshotIdOf(session, snapshotId);
      if (id === null) return { snapshotId: null, users: [] };
      const { items: users } = session.store.listUsers(id, search, 0, limit);
      return {
        snapshotId: id,
        users: users.map((row) => {
          const user = session.store.getUser(id, row.id);
          return { id: row.id, userPrincipalName: row.userPrincipalName, displayName: row.displayName, source: user?.source ?? {} };
        }),
      };
    },
  };
}
