/**
 * The group half of the endpoint check, when the plan provisions groups (Microsoft Learn "Develop a SCIM endpoint for
 * user provisioning", "Group operations"): create, member add and remove in each dialect, rename, delete, every request
 * from the preview's group decisions.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { compileGroupMapping, decideGroup, groupPatchRequests, type HeldGroup } from '../../../shared/preview/group-decision.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';
import { deleteRequest } from '../../../shared/scim/requests/user.ts';
import type { ScimClient } from '../provisioning/scim-client.ts';
import { assertMarked, createdWithId, deleted, GROUP_STEPS, named, type CheckRun, type StepSpec } from './steps.ts';
import { syntheticGroup } from './synthetic.ts';

export async function groupSequence(
  run: CheckRun,
  target: { set: MappingSet; client: ScimClient },
  runId: string,
  dialects: ScimDialect[],
  provisioned: ReadonlyMap<string, string>,
  memberIds: string[],
): Promise<void> {
  const primary = dialects[0]!;
  const groupMapping = compileGroupMapping(target.set, { dialect: primary, baseUrl: target.client.base });
  if ('disabled' in groupMapping) {
    for (const id of GROUP_STEPS) run.skip(named(id), `Groups are not provisioned: ${groupMapping.disabled}.`);
    return;
  }
  const source = syntheticGroup(runId, memberIds);
  const decision = decideGroup(groupMapping, { source, provisionedUsers: provisioned });
  if (decision.action !== 'create' || !decision.post) {
    for (const id of GROUP_STEPS) run.skip(named(id), `The plan would not create the test group (${decision.action}: ${decision.reason ?? 'see the preview'}).`);
    return;
  }
  assertMarked(decision.post, runId, 'test group');
  const createdExchange = await run.step(
    {
      ...named('group-create'),
      behaviour: 'Entra creates a group without members, with the core schema and Microsoft’s second group schema URI, and needs 201 with the id.',
      passed: 'The vendor created the test group.',
      remedy: 'If the vendor does not support groups, turn off "Provision Microsoft Entra ID Groups" (a mapping change); otherwise open a vendor ticket.',
    },
    { method: 'POST', path: '/Groups', body: decision.post },
    createdWithId,
  );
  if (!createdExchange) {
    for (const id of GROUP_STEPS.slice(1)) run.skip(named(id), 'Skipped: the vendor did not create the test group.');
    return;
  }
  const groupId = String((createdExchange.responseBody as JsonObject).id);
  let held: HeldGroup = { targetId: groupId, resource: { ...(decision.target ?? {}), id: groupId }, members: [] };
  let current = source;

  const groupPatch = async (spec: StepSpec, dialect: ScimDialect, next: SourceObject, nothing: string) => {
    const compiled = compileGroupMapping(target.set, { dialect, baseUrl: target.client.base });
    if ('disabled' in compiled) return;
    const step = decideGroup(compiled, { source: next, held, provisionedUsers: provisioned });
    const requests = step.action === 'update' ? groupPatchRequests(step, groupId) : [];
    if (requests.length === 0) {
      run.skip(spec, `Entra would send nothing here: ${nothing}.`);
      return;
    }
    for (const request of requests) await run.step(spec, request);
    // As for users: the next step assumes this one was applied, so each checks one behaviour.
    held = { targetId: groupId, resource: { ...(step.target ?? held.resource), id: groupId }, members: step.members };
    current = next;
  };
  for (const dialect of dialects) {
    const second = dialect === primary ? undefined : dialect;
    await groupPatch(
      { ...named('group-member-add', second), behaviour: 'Entra adds members with one add operation on "members" listing their ids.', passed: 'The vendor accepted the member add.' },
      dialect,
      { ...current, members: memberIds },
      'no test user could be provisioned as a member',
    );
    const keep = memberIds.slice(0, Math.max(0, memberIds.length - 1));
    await groupPatch(
      {
        ...named('group-member-remove', second),
        behaviour: dialect === 'default'
          ? 'Entra removes members with a capitalised Remove on path "members" and a "value" array of ids.'
          : 'Entra with aadOptscim062020 removes each member with a filtered path members[value eq "<id>"].',
        passed: 'The vendor accepted the member removal.',
      },
      dialect,
      { ...current, members: keep },
      'the group has no member to remove',
    );
  }
  await groupPatch(
    { ...named('group-rename'), behaviour: 'When a group is renamed in Entra, Entra sends a PATCH of displayName.', passed: 'The vendor accepted the rename.' },
    primary,
    { ...current, displayName: `${String(current.displayName)} renamed` },
    'the group mapping maps no displayName',
  );
  const leave = decideGroup(groupMapping, { source: null, held, provisionedUsers: provisioned });
  if (leave.action !== 'delete') {
    run.skip(named('group-delete'), `Entra sends nothing: ${leave.reason ?? 'the Delete target action is off'}.`);
    return;
  }
  const exchange = await run.step(
    { ...named('group-delete'), behaviour: 'When a group leaves scope or is deleted in Entra, Entra sends DELETE /Groups/{id}.', passed: 'The vendor deleted the test group.' },
    deleteRequest('Groups', groupId),
    deleted,
  );
  if (exchange) run.gone.set(`/Groups/${groupId}`, 'group-delete');
}
