import { readFileSync } from 'node:fs';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';

/** Entra's default SCIM mapping set (the template the app starts from). */
export function template(): MappingSet {
  const result = importMappingSet(JSON.parse(readFileSync(new URL('../../../resources/templates/entra-scim-default.schema.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.set;
}

/** The demo tenant, replicated with fresh ids until there are `count` users (managers point inside each copy). */
export function demoUsers(count: number): SourceObject[] {
  const demo = (JSON.parse(readFileSync(new URL('../../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;
  const users: SourceObject[] = [];
  for (let copy = 0; users.length < count; copy++) {
    const suffix = (id: string) => (copy === 0 ? id : `${id.slice(0, 24)}${String(copy).padStart(12, '0')}`);
    for (const user of demo) {
      if (users.length >= count) break;
      const upn = copy === 0 ? user.userPrincipalName : user.userPrincipalName?.replace('@', `.${copy}@`);
      users.push(graphUserToSource({ ...user, id: suffix(user.id), userPrincipalName: upn, manager: user.manager ? { ...user.manager, id: suffix(user.manager.id) } : null }));
    }
  }
  return users;
}
