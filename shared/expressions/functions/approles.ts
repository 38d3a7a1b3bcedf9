/**
 * App role functions (Microsoft Learn "Reference for writing expressions for attribute mappings"; Microsoft Learn
 * "Customize user provisioning attribute-mappings", "Provisioning a role to a SCIM app"). The user's assignments come
 * from the test context (EvalContext.appRoleAssignments) through the [appRoleAssignments] attribute.
 */
import type { CallNode } from '../ast.ts';
import { textOf } from '../coerce.ts';
import { flag, type Env } from '../runtime.ts';
import { NULL, multiValue, stringValue, type ExprValue } from '../value.ts';
import { param, strict, type CheckContext, type FunctionDef } from './types.ts';

const ROLE_TYPE = 'WindowsAzureActiveDirectoryRole';

interface Role {
  id: string;
  value: string;
  displayName: string;
}

function rolesOf(value: ExprValue, env: Env): Role[] {
  const items = value.kind === 'multi' ? value.values : value.kind === 'null' || value.kind === 'ignore' ? [] : [value];
  return items.map((item) => {
    if (item.kind === 'complex') {
      const field = (name: string) => (typeof item.fields[name] === 'string' ? (item.fields[name] as string) : '');
      return { id: field('id'), value: field('value') || field('displayName'), displayName: field('displayName') || field('value') };
    }
    const text = textOf(item, env) ?? '';
    return { id: '', value: text, displayName: text };
  });
}

function checkSource(call: CallNode, cx: CheckContext): void {
  const arg = call.args[0];
  if (arg && !(arg.type === 'attribute' && arg.name === 'appRoleAssignments')) {
    cx.report({ severity: 'warning', code: 'ROLE_SOURCE', message: `${call.name} is meant to read [appRoleAssignments]`, start: arg.start, end: arg.end, suggestion: '[appRoleAssignments]' });
  }
}

function complexRoles(name: string, displayKey: 'displayName' | 'display', description: string, documentedIn: FunctionDef['documentedIn']): FunctionDef {
  return {
    name,
    family: 'app roles',
    description,
    params: [param('appRoleAssignments', 'roles', 'the [appRoleAssignments] attribute')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'roles',
    examples: [{ expression: `${name}([appRoleAssignments])`, result: `[{"primary": false, "type": "${ROLE_TYPE}", "${displayKey}": "Admin", "value": "Admin"}]` }],
    documentedIn,
    check(call, cx) {
      checkSource(call, cx);
      if (name === 'AppRoleAssignments') {
        cx.report({ severity: 'warning', code: 'UNDOCUMENTED_FUNCTION', message: 'AppRoleAssignments appears only in a Graph sample; AppRoleAssignmentsComplex is the documented function', start: call.start, end: call.nameEnd, suggestion: 'AppRoleAssignmentsComplex' });
      }
    },
    compile: (args) =>
      strict(args, ([source], env) => {
        if (name === 'AppRoleAssignments') flag(env, 'AppRoleAssignments undocumented');
        const roles = rolesOf(source!, env);
        if (roles.length === 0) return NULL;
        // CAA: every role is sent with primary false and the Entra role type
        return multiValue(roles.map((role) => ({ kind: 'complex', fields: { primary: false, type: ROLE_TYPE, [displayKey]: role.displayName, value: role.value } })));
      }),
  };
}

export const appRoleFunctions: FunctionDef[] = [
  complexRoles(
    'AppRoleAssignmentsComplex',
    'displayName',
    'Sends all of the user\'s app roles for this app as a multi-valued complex "roles" attribute: each with primary false, type WindowsAzureActiveDirectoryRole, its display name and value. Roles are only ever added.',
    'FN',
  ),
  complexRoles(
    'AssertiveAppRoleAssignmentsComplex',
    'display',
    'Like AppRoleAssignmentsComplex, but Entra replaces the whole roles list, so roles removed in Entra are removed in the app too.',
    'CAA',
  ),
  complexRoles('AppRoleAssignments', 'displayName', 'An undocumented name from a Microsoft Graph sample; evaluated like AppRoleAssignmentsComplex.', 'GRAPH-FN'),
  {
    name: 'SingleAppRoleAssignment',
    family: 'app roles',
    description:
      'Reduces the user\'s app roles to one. Mapped to roles[primary eq "True"].value it gives the role value, .display the display name, and .type WindowsAzureActiveDirectoryRole. Assign only one role: with several, which one is chosen is undefined.',
    params: [param('appRoleAssignments', 'roles', 'the [appRoleAssignments] attribute')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    examples: [{ expression: 'SingleAppRoleAssignment([appRoleAssignments])', result: 'Admin' }],
    documentedIn: 'FN',
    check: checkSource,
    compile: (args) =>
      strict(args, ([source], env) => {
        const roles = rolesOf(source!, env);
        const role = roles[0];
        if (!role) return NULL;
        if (roles.length > 1) flag(env, 'SingleAppRoleAssignment with several roles');
        const target = env.context.targetAttribute ?? '';
        if (/\.type$/i.test(target)) return stringValue(ROLE_TYPE);
        if (/\.display(Name)?$/i.test(target)) return stringValue(role.displayName);
        return stringValue(role.value);
      }),
  },
];
