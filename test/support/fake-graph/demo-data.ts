/**
 * Fake Graph data from the demo tenant generator (any size), plus one provisioning job with a small
 * synchronization schema in Graph's shape (vendors-and-sources.md §5.4), so the reader's schema import
 * has something real to parse.
 */
import { generateDemoTenant } from '../../../scripts/demo-tenant/generate.ts';
import type { FakeGraphData } from './server.ts';

export const DEMO_SYNC_JOB_ID = 'scim.6f1c0f0ea7a94b1fa0a1b2c3d4e5f607.3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';

function attributeMapping(
  target: string,
  source: Record<string, unknown> | null,
  matchingPriority = 0,
  defaultValue: string | null = null,
) {
  return {
    targetAttributeName: target,
    source,
    defaultValue,
    matchingPriority,
    flowType: 'Always',
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  };
}

export function demoSynchronizationSchema(): Record<string, unknown> {
  const attribute = (name: string) => ({ type: 'Attribute', name, expression: `[${name}]`, parameters: [] });
  return {
    id: DEMO_SYNC_JOB_ID,
    version: 'Date:2026-01-15T09:30:00Z~Version:1',
    directories: [
      {
        id: 'AzureActiveDirectory',
        name: 'Azure Active Directory',
        objects: [
          {
            name: 'User',
            attributes: [
              {
                name: 'userPrincipalName',
                type: 'String',
                multivalued: false,
                required: false,
                anchor: false,
                caseExact: false,
                mutability: 'ReadWrite',
                flowNullValues: false,
                defaultValue: null,
                referencedObjects: [],
                metadata: [],
              },
            ],
            metadata: [],
          },
        ],
      },
      {
        id: 'customappsso',
        name: 'customappsso',
        objects: [{ name: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attributes: [], metadata: [] }],
      },
    ],
    synchronizationRules: [
      {
        id: 'e5c2b1a0-0000-4000-8000-00000000aaaa',
        name: 'USER_OUTBOUND_USER',
        editable: true,
        priority: 1,
        sourceDirectoryName: 'Azure Active Directory',
        targetDirectoryName: 'customappsso',
        metadata: [],
        objectMappings: [
          {
            name: 'Provision Azure Active Directory Users',
            enabled: true,
            flowTypes: 'Add, Update, Delete',
            sourceObjectName: 'User',
            targetObjectName: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
            scope: null,
            metadata: [],
            attributeMappings: [
              attributeMapping('userName', attribute('userPrincipalName'), 1),
              attributeMapping('active', {
                type: 'Function',
                name: 'Switch',
                expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
                parameters: [],
              }),
              attributeMapping('emails[type eq "work"].value', attribute('mail')),
              attributeMapping('name.givenName', attribute('givenName')),
              attributeMapping('name.familyName', attribute('surname')),
              attributeMapping('externalId', attribute('objectId')),
            ],
          },
        ],
      },
    ],
  };
}

/** The demo tenant as fake Graph data; `count` users (default: the committed tenant's 200). */
export function demoGraphData(count?: number): FakeGraphData {
  const tenant = generateDemoTenant(count);
  const servicePrincipal = tenant.servicePrincipals.value[0]!;
  return {
    users: tenant.users.value,
    groups: tenant.groups.value,
    servicePrincipals: tenant.servicePrincipals.value as unknown as Record<string, unknown>[],
    appRoleAssignments: tenant.appRoleAssignedTo.value as unknown as Record<string, unknown>[],
    extensionProperties: tenant.extensionProperties.value as unknown as Record<string, unknown>[],
    synchronizationJobs: {
      [servicePrincipal.id]: [{ id: DEMO_SYNC_JOB_ID, templateId: 'scim', status: { code: 'Active' } }],
    },
    synchronizationSchemas: { [DEMO_SYNC_JOB_ID]: demoSynchronizationSchema() },
    deletedUsers: [],
  };
}
