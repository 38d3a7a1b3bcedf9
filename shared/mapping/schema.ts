import { z } from 'zod';

/**
 * Microsoft Graph's synchronization schema (`GET …/synchronization/jobs/{id}/schema`), which is also the app's own
 * mapping-set file (Microsoft Graph "synchronizationSchema resource type"). Every object is a loose object: properties
 * the app does not model are kept verbatim, so import → export → import gives an equal set and a PUT back to Graph
 * never loses what Graph sent (Graph's PUT replaces the whole schema).
 */

const AttributeMappingSourceSchema: z.ZodType<AttributeMappingSource> = z.lazy(() =>
  z.looseObject({
    type: z.string(),
    name: z.string().nullish(),
    /** always present in what Graph returns; the app reads the mapping from this string */
    expression: z.string().nullish(),
    parameters: z.array(z.looseObject({ key: z.string().nullish(), value: AttributeMappingSourceSchema.nullish() })).nullish(),
  }),
);
interface AttributeMappingSource {
  type: string;
  name?: string | null | undefined;
  expression?: string | null | undefined;
  parameters?: Array<{ key?: string | null | undefined; value?: AttributeMappingSource | null | undefined; [k: string]: unknown }> | null | undefined;
  [k: string]: unknown;
}

const AttributeMappingSchema = z.looseObject({
  targetAttributeName: z.string().min(1),
  /**
   * null = mapping type None: only the default value flows, and only into an empty target (Microsoft Learn "Customize
   * user provisioning attribute-mappings", "Understanding attribute-mapping types")
   */
  source: AttributeMappingSourceSchema.nullish(),
  defaultValue: z.string().nullish(),
  /**
   * 0 = not a matching attribute; lowest positive number is tried first (Microsoft Learn "Customize user provisioning
   * attribute-mappings", "Matching users in the source and target systems")
   */
  matchingPriority: z.number().int().min(0).nullish(),
  flowType: z.string().nullish(),
  flowBehavior: z.string().nullish(),
  exportMissingReferences: z.boolean().nullish(),
});
export type AttributeMapping = z.infer<typeof AttributeMappingSchema>;

const FilterClauseSchema = z.looseObject({
  operatorName: z.string(),
  sourceOperandName: z.string(),
  targetOperand: z.looseObject({ values: z.array(z.string()).nullish() }).nullish(),
});
export type FilterClause = z.infer<typeof FilterClauseSchema>;

const FilterGroupSchema = z.looseObject({
  name: z.string().nullish(),
  clauses: z.array(FilterClauseSchema).nullish(),
});
export type FilterGroup = z.infer<typeof FilterGroupSchema>;

const ScopeFilterSchema = z.looseObject({
  /** the scoping filter of the portal: groups are ORed, clauses inside a group ANDed */
  groups: z.array(FilterGroupSchema).nullish(),
  categoryFilterGroups: z.array(FilterGroupSchema).nullish(),
  inputFilterGroups: z.array(FilterGroupSchema).nullish(),
});
export type ScopeFilter = z.infer<typeof ScopeFilterSchema>;

const ObjectMappingSchema = z.looseObject({
  name: z.string().nullish(),
  enabled: z.boolean().nullish(),
  /** target object actions as a comma list: "Add, Update, Delete" */
  flowTypes: z.string().nullish(),
  sourceObjectName: z.string(),
  targetObjectName: z.string(),
  scope: ScopeFilterSchema.nullish(),
  metadata: z.array(z.unknown()).nullish(),
  attributeMappings: z.array(AttributeMappingSchema),
});
export type ObjectMapping = z.infer<typeof ObjectMappingSchema>;

const SynchronizationRuleSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  editable: z.boolean().nullish(),
  priority: z.number().nullish(),
  sourceDirectoryName: z.string().nullish(),
  targetDirectoryName: z.string().nullish(),
  metadata: z.array(z.unknown()).nullish(),
  objectMappings: z.array(ObjectMappingSchema),
});
export type SynchronizationRule = z.infer<typeof SynchronizationRuleSchema>;

/**
 * Graph attribute types as the "Edit attribute list" editor offers them (Microsoft Learn "Customize user provisioning
 * attribute-mappings", "Editing the list of supported attributes").
 */
export const ATTRIBUTE_TYPES = ['String', 'Boolean', 'Integer', 'DateTime', 'Reference', 'Binary'] as const;

const AttributeDefinitionSchema = z.looseObject({
  name: z.string(),
  type: z.string().nullish(),
  multivalued: z.boolean().nullish(),
  required: z.boolean().nullish(),
  anchor: z.boolean().nullish(),
  caseExact: z.boolean().nullish(),
  mutability: z.string().nullish(),
  flowNullValues: z.boolean().nullish(),
  defaultValue: z.string().nullish(),
  referencedObjects: z.array(z.looseObject({ referencedObjectName: z.string().nullish(), referencedProperty: z.string().nullish() })).nullish(),
  metadata: z.array(z.unknown()).nullish(),
});
export type AttributeDefinition = z.infer<typeof AttributeDefinitionSchema>;

const ObjectDefinitionSchema = z.looseObject({
  name: z.string(),
  attributes: z.array(AttributeDefinitionSchema).nullish(),
  metadata: z.array(z.unknown()).nullish(),
});

const DirectoryDefinitionSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string(),
  objects: z.array(ObjectDefinitionSchema).nullish(),
});

/**
 * Graph keeps the tenant URL in the job's secrets (`BaseAddress`), not in the schema; the app's file carries
 * it as an OData-style instance annotation so the file stays a schema Graph will accept.
 */
export const TENANT_URL_ANNOTATION = '@scimPlanner.tenantUrl';

export const SynchronizationSchemaSchema = z.looseObject({
  id: z.string().nullish(),
  version: z.string().nullish(),
  directories: z.array(DirectoryDefinitionSchema).nullish(),
  synchronizationRules: z.array(SynchronizationRuleSchema),
  [TENANT_URL_ANNOTATION]: z.string().nullish(),
});
export type SynchronizationSchema = z.infer<typeof SynchronizationSchemaSchema>;
