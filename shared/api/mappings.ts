import { z } from 'zod';
import { empty, id, JsonObject, MappingSet, method, type MethodSpec } from './define.ts';

/**
 * The Mappings screen's contract (issue 8): the project's mapping set as saved revisions of Graph's
 * synchronization schema JSON, the templates an admin starts from, and what the expression editor
 * needs to complete attribute names and show live results (the renderer evaluates locally).
 */

export const RevisionSummary = z.object({
  revision: z.number().int().positive(),
  label: z.string(),
  createdAt: z.string(),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

export const CurrentMappingSet = z.object({
  /** null when nothing is saved yet and the set is Entra's default template */
  revision: z.number().int().positive().nullable(),
  label: z.string(),
  createdAt: z.string().nullable(),
  origin: z.enum(['revision', 'template']),
  mappingSet: MappingSet,
});
export type CurrentMappingSet = z.infer<typeof CurrentMappingSet>;

export const MappingTemplate = z.object({
  /** 'entra-default' or a vendor profile id */
  id: z.string(),
  name: z.string(),
  description: z.string(),
  vendorId: z.string().nullable(),
  /** the vendor profile's name, as the vendor picker shows it */
  vendorName: z.string().nullable(),
  mappingSet: MappingSet,
});
export type MappingTemplate = z.infer<typeof MappingTemplate>;

export const SourceAttributeDto = z.object({
  name: z.string(),
  objectType: z.enum(['User', 'Group']),
  type: z.string(),
  multiValued: z.boolean(),
  /** default: in Entra's source list; unverified: a Graph property not confirmed as a source; tenant: a directory extension */
  availability: z.enum(['default', 'unverified', 'tenant']),
  /** some user of the snapshot has a value for it */
  inSnapshot: z.boolean(),
  notes: z.string().nullable(),
});
export type SourceAttributeDto = z.infer<typeof SourceAttributeDto>;

export const SampleSource = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  displayName: z.string().nullable(),
  source: JsonObject,
});
export type SampleSource = z.infer<typeof SampleSource>;

const revisionNumber = z.number().int().positive();

export const mappingsMethods = {
  'mappings.get': method(
    'The current mapping set: the latest saved revision, or Entra’s default template when none is saved',
    empty,
    CurrentMappingSet,
  ),
  'mappings.listRevisions': method('The saved mapping revisions of the current project, oldest first', empty, z.array(RevisionSummary)),
  'mappings.getRevision': method(
    'One saved mapping revision with its mapping set',
    z.object({ revision: revisionNumber }).strict(),
    RevisionSummary.extend({ mappingSet: MappingSet }),
  ),
  'mappings.save': method(
    'Save a mapping set as a new revision (refused with the schema problems when it is not a valid synchronization schema)',
    z.object({ label: z.string().trim().min(1).max(200), mappingSet: MappingSet }).strict(),
    RevisionSummary,
  ),
  'mappings.templates': method(
    'Mapping sets to start from: Entra’s defaults and each vendor’s recommended set',
    empty,
    z.array(MappingTemplate),
  ),
  'mappings.sourceSchema': method(
    'Source attribute names with their types, from the snapshot’s users and the Entra source catalogue',
    z.object({ snapshotId: id.optional() }).strict(),
    z.object({ snapshotId: id.nullable(), attributes: z.array(SourceAttributeDto) }),
  ),
  'mappings.sampleSources': method(
    'A few users’ source objects for the expression editor’s live results',
    z
      .object({
        snapshotId: id.optional(),
        search: z.string().max(200).default(''),
        limit: z.number().int().min(1).max(50).default(5),
      })
      .strict(),
    z.object({ snapshotId: id.nullable(), users: z.array(SampleSource) }),
  ),
} satisfies Record<string, MethodSpec>;
