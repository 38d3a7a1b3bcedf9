import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerCase } from '../../../shared/expressions/protocol.ts';
import { evaluated, evaluationError, parseError, type ParseExpressionAnswer, type ParseExpressionInput } from '../../support/fake-graph/synchronization-checks.ts';
import { tempDir } from '../../support/temp.ts';
import { agreeingAnswers, DISPLAY_NAME_EXPRESSION, mappingSet, startTenant, cli, type Tenant } from './tenant.ts';

interface VerifyJson {
  checked: number;
  agreed: number;
  differed: number;
  refused: number;
  cancelled: boolean;
  rows: { targetAttribute: string; expression: string; userPrincipalName: string; verdict: string; ours: { ok: boolean; value: string[] | null }; entra: { parsingSucceeded: boolean; evaluationSucceeded: boolean; value: string[] | null; error: string | null } }[];
  skipped: { targetAttribute: string; reason: string }[];
}

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;

beforeEach(async () => {
  temp = tempDir();
  tenant = await startTenant(temp.path);
});
afterEach(async () => {
  await tenant.graph.close();
  temp.cleanup();
});

const verify = (...extra: string[]) => cli(['verify', '--mappings', tenant.mappingsFile, '--users', tenant.usersFile, ...tenant.graphFlags, ...extra]);

describe('scim-planner verify against the fake Graph', () => {
  it('exits 0 when Entra agrees with the preview on every expression row and user', async () => {
    const run = await verify();
    expect(run.stderr).not.toContain('failed');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as VerifyJson;
    // three expression rows × three users; direct rows only with --all-rows
    expect(result).toMatchObject({ checked: 9, agreed: 9, differed: 0, refused: 0, cancelled: false });
    expect(new Set(result.rows.map((r) => r.targetAttribute))).toEqual(new Set(['active', 'displayName', 'preferredLanguage']));
    const chloeActive = result.rows.find((r) => r.targetAttribute === 'active' && r.userPrincipalName === 'chloe@contoso.com')!;
    expect(chloeActive).toMatchObject({ ours: { ok: true, value: ['False'] }, entra: { parsingSucceeded: true, evaluationSucceeded: true, value: ['False'] }, verdict: 'agree' });
  });

  it('sends the documented request: testInputObject with the job schema source definition, properties as key/value, the target definition', async () => {
    await verify('--user', 'alice@contoso.com');
    const call = tenant.checks.parseExpressionCalls!.find((c) => c.expression === DISPLAY_NAME_EXPRESSION)!;
    expect(call.properties.get('givenName')).toBe('Alice');
    expect(call.properties.get('IsSoftDeleted')).toBe('false');
    expect(call.properties.has('surname')).toBe(true);
    expect(call.definition).toMatchObject({ name: 'User' });
    expect(call.targetAttributeDefinition).toMatchObject({ name: 'displayName', type: 'String' });
    const bodies = tenant.graph.requests.filter((r) => r.url.endsWith('/schema/parseExpression'));
    expect(bodies.length).toBe(3);
  });

  it('reports exactly the rows and users Entra answers differently as differ, the rest agree', async () => {
    const agreeing = agreeingAnswers()[DISPLAY_NAME_EXPRESSION] as (input: ParseExpressionInput) => ParseExpressionAnswer;
    // Entra folds the accents for Chloé only; everything else agrees
    tenant.checks.parseExpression![DISPLAY_NAME_EXPRESSION] = (input) => (input.properties.get('givenName') === 'Chloé' ? evaluated(['Chloe Dupre']) : agreeing(input));
    const run = await verify();
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as VerifyJson;
    const differing = result.rows.filter((r) => r.verdict !== 'agree');
    expect(differing).toHaveLength(1);
    expect(differing[0]).toMatchObject({ targetAttribute: 'displayName', userPrincipalName: 'chloe@contoso.com', verdict: 'differ', ours: { value: ['Chloé Dupré'] }, entra: { value: ['Chloe Dupre'] } });
    expect(result).toMatchObject({ checked: 9, agreed: 8, differed: 1, refused: 0 });
    expect(run.stderr).toMatch(/Exit code 1: 1 differ/);
    const table = await verify('--format', 'table');
    expect(table.stdout).toMatch(/^differ +displayName +chloe@contoso\.com +ours \["Chloé Dupré"\] +entra \["Chloe Dupre"\]$/m);
    expect(table.stdout).toContain('9 checked: 8 agree, 1 differ, 0 refused.');
  });

  it('names each refusal: entra-refused (parse and evaluation errors), ours-refused and both-refused', async () => {
    const set = mappingSet({ title: 'ToUpper([jobTitle])', nickName: 'CBool([jobTitle])', locale: 'Left([jobTitle]' });
    const file = join(temp.path, 'refusals.json');
    writeFileSync(file, JSON.stringify(set));
    tenant.checks.parseExpression!['ToUpper([jobTitle])'] = evaluationError('The attribute jobTitle has no value.');
    tenant.checks.parseExpression!['CBool([jobTitle])'] = evaluated(['False']);
    tenant.checks.parseExpression!['Left([jobTitle]'] = parseError('Missing closing parenthesis.');
    const run = await cli(['verify', '--mappings', file, '--users', tenant.usersFile, ...tenant.graphFlags, '--user', 'alice@contoso.com']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as VerifyJson;
    const verdictOf = (target: string) => result.rows.find((r) => r.targetAttribute === target)?.verdict;
    expect(verdictOf('title')).toBe('entra-refused');
    expect(result.rows.find((r) => r.targetAttribute === 'title')!.entra.error).toContain('has no value');
    expect(verdictOf('nickName')).toBe('ours-refused');
    expect(verdictOf('locale')).toBe('both-refused');
    expect(result.refused).toBe(3);
  });

  it('flags an expression over 10,000 characters before any call', async () => {
    const long = `Append("${'x'.repeat(10_001)}", [givenName])`;
    const file = join(temp.path, 'long.json');
    writeFileSync(file, JSON.stringify(mappingSet({ title: long })));
    const run = await cli(['verify', '--mappings', file, '--users', tenant.usersFile, ...tenant.graphFlags, '--user', 'alice@contoso.com']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as VerifyJson;
    expect(result.skipped).toEqual([expect.objectContaining({ targetAttribute: 'title', reason: expect.stringContaining('10000') })]);
    expect(tenant.checks.parseExpressionCalls!.some((c) => c.expression === long)).toBe(false);
  });

  it('explains a 403: the permission, the roles, and that parseExpression changes nothing', async () => {
    tenant.checks.denied = ['parseExpression'];
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Synchronization.ReadWrite.All');
    expect(run.stderr).toContain('Application Administrator or Cloud Application Administrator');
    expect(run.stderr).toContain('changes nothing in the tenant');
  });

  it('honours a 429 with Retry-After and still checks every row', async () => {
    tenant.graph.injectFault({ path: /parseExpression$/, status: 429, retryAfterSeconds: 1, after: 2, times: 1 });
    const started = Date.now();
    const run = await verify('--concurrency', '1');
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(run.stderr).toContain('waiting 1 s');
    expect(tenant.graph.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect((JSON.parse(run.stdout) as VerifyJson).checked).toBe(9);
  });

  it('checks direct rows too with --all-rows', async () => {
    const run = await verify('--all-rows');
    expect(run.code).toBe(0);
    const targets = new Set((JSON.parse(run.stdout) as VerifyJson).rows.map((r) => r.targetAttribute));
    expect(targets).toContain('userName');
    expect(targets).toContain('emails[type eq "work"].value');
  });

  it('exports disagreements as eval --jsonl vectors: attribute names only, real values when asked', async () => {
    tenant.checks.parseExpression![DISPLAY_NAME_EXPRESSION] = evaluated(['Someone Else']);
    const withheld = join(temp.path, 'withheld.jsonl');
    expect((await verify('--user', 'chloe@contoso.com', '--export-vectors', withheld)).code).toBe(1);
    const [vector] = readFileSync(withheld, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(vector).toMatchObject({ expression: DISPLAY_NAME_EXPRESSION, source: {}, attributes: ['givenName', 'surname'] });
    expect(vector).not.toHaveProperty('expected');
    expect(JSON.stringify(vector)).not.toMatch(/Chloé|Dupré|Someone Else/);

    const withValues = join(temp.path, 'values.jsonl');
    await verify('--user', 'chloe@contoso.com', '--export-vectors', withValues, '--with-values');
    const [full] = readFileSync(withValues, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(full).toMatchObject({ source: { givenName: 'Chloé', surname: 'Dupré' }, expected: 'Someone Else' });
    // the vector replays in `scim-planner eval --jsonl`: our engine gives the value Entra did not
    expect(answerCase(full as never)).toMatchObject({ ok: true, value: 'Chloé Dupré' });
  });

  it('exits 2 on bad input: no job, an unknown user, a missing file', async () => {
    expect((await cli(['verify', '--mappings', tenant.mappingsFile, '--users', tenant.usersFile, '--access-token', 't'])).code).toBe(2);
    const unknown = await verify('--user', 'nobody@contoso.com');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nobody@contoso.com');
    const missing = await cli(['verify', '--mappings', join(temp.path, 'none.json'), '--users', tenant.usersFile, ...tenant.graphFlags]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('there is no such file');
  });
});
