/**
 * An endpoint check as a Postman collection (format v2.1), so the vendor can replay exactly what was sent. The token
 * is a collection variable left empty, and the ids the vendor assigned become variables set by the create requests'
 * test scripts, so the collection runs again against a fresh tenant.
 */
import type { CheckResult } from './types.ts';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** `user-create` → `userCreateId`: the variable holding the id that step's POST returned. */
function variableOf(stepId: string): string {
  return `${stepId.replace(/:.*$/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Id`;
}

function replaceAll(text: string, replacements: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [from, to] of replacements) out = out.split(from).join(to);
  return out;
}

export function toPostmanCollection(result: CheckResult): Record<string, unknown> {
  const replacements = new Map<string, string>([[result.target, '{{baseUrl}}']]);
  const items: unknown[] = [];
  for (const step of result.steps) {
    if (!step.request) continue;
    const request = step.request;
    const headers = Object.entries(request.headers)
      .filter(([name]) => name.toLowerCase() !== 'authorization')
      .map(([key, value]) => ({ key, value }));
    const item: Record<string, unknown> = {
      name: `${step.title} [${step.id}]`,
      request: {
        method: request.method,
        header: headers,
        url: replaceAll(request.url, replacements),
        ...(request.body ? { body: { mode: 'raw', raw: replaceAll(JSON.stringify(request.body, null, 2), replacements), options: { raw: { language: 'json' } } } } : {}),
        description: `${step.outcome.toUpperCase()} in run ${result.runId}: ${step.explanation}`,
      },
      response: [],
    };
    const body = step.response?.body;
    if (request.method === 'POST' && body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string') {
      const variable = variableOf(step.id);
      replacements.set((body as { id: string }).id, `{{${variable}}}`);
      item.event = [{ listen: 'test', script: { type: 'text/javascript', exec: [`pm.collectionVariables.set('${variable}', pm.response.json().id);`] } }];
    }
    items.push(item);
  }
  return {
    info: {
      name: `SCIM Planner endpoint check ${result.runId} — ${result.target}`,
      description: `The requests Microsoft Entra provisioning sends for this plan (${result.mode} check, ${result.dialects.join(' and ')} dialect), in order. Set the token variable before running.`,
      schema: SCHEMA,
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
    variable: [
      { key: 'baseUrl', value: result.target },
      { key: 'token', value: '' },
    ],
    item: items,
  };
}
