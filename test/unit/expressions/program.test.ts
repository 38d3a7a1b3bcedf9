import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/eval.ts';
import { UsageError, type CliIO } from '../../../electron/cli/command.ts';
import { compileExpression, functionCatalogue, valueToString, UNVERIFIED_RULES } from '../../../shared/expressions/index.ts';
import { answerCase } from '../../../shared/expressions/protocol.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';

function fakeIO(stdinText = ''): CliIO & { stdout: string[]; stderr: string[] } {
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), stdin, env: {}, stdout, stderr };
}

describe('compiled programs', () => {
  it('compile once and evaluate many source objects independently', () => {
    const compiled = compileExpression('Join(" ", [givenName], [surname])');
    if (!compiled.ok) throw new Error('compile');
    const { program } = compiled;
    expect(program.referencedAttributes).toEqual(['givenName', 'surname']);
    const sources: SourceObject[] = [{ givenName: 'A', surname: 'B' }, { givenName: 'C' }];
    const results = sources.map((s) => program.evaluate(s));
    expect(results.map((r) => (r.ok ? valueToString(r.value) : null))).toEqual(['A B', 'C']);
  });

  it('names compile-time unverified rules in every result', () => {
    const compiled = compileExpression('append("\\+", "x")');
    if (!compiled.ok) throw new Error('compile');
    expect(compiled.program.evaluate({}).unverifiedRules).toEqual(expect.arrayContaining(['Function name casing', 'Lenient string escape']));
  });

  it('every unverified rule it can report is listed with its spec section', () => {
    for (const [name, rule] of Object.entries(UNVERIFIED_RULES)) expect(rule.section, name).toMatch(/^§/);
  });

  it('renders values the way Entra turns them into text', () => {
    const render = (text: string) => {
      const compiled = compileExpression(text);
      if (!compiled.ok) throw new Error(text);
      const result = compiled.program.evaluate({}, { now: new Date('2021-07-02T15:33:38Z') });
      return result.ok ? valueToString(result.value) : result.error.code;
    };
    expect(render('IsNull([x])')).toBe('True');
    expect(render('Now()')).toBe('7/2/2021 3:33:38 PM');
    expect(render('NumFromDate("1970-01-01T00:00:00Z")')).toBe('116444736000000000');
    expect(render('Switch([x], , "a", "b")')).toBe(null);
    expect(render('IgnoreFlowIfNullOrEmpty([x])')).toBe(null);
  });

  it('has one catalogue entry per function, 45 documented in FN plus the two role extras', () => {
    const names = functionCatalogue.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(functionCatalogue.filter((f) => f.documentedIn === 'FN')).toHaveLength(45);
    expect(names).toEqual(expect.arrayContaining(['AssertiveAppRoleAssignmentsComplex', 'AppRoleAssignments']));
    for (const f of functionCatalogue) {
      expect(f.description.length, f.name).toBeGreaterThan(20);
      expect(f.examples.length, f.name).toBeGreaterThan(0);
      for (const example of f.examples) expect(compileExpression(example.expression).ok, example.expression).toBe(true);
    }
  });

  it('the jsonl protocol answers flow "ignore", Int64 as decimal strings and errors with their kind', () => {
    expect(answerCase({ id: 1, expression: 'IgnoreFlowIfNullOrEmpty([d])' })).toMatchObject({ id: 1, ok: true, value: null, flow: 'ignore' });
    expect(answerCase({ id: 2, expression: 'NumFromDate("2020-12-31 23:59:59-08:00")' })).toMatchObject({ ok: true, value: '132539615990000000' });
    expect(answerCase({ id: 3, expression: 'Append(' })).toMatchObject({ ok: false, error: { kind: 'parse' } });
    expect(answerCase({ id: 4, expression: 'Append([Mail], "")', schema: ['mail'] })).toMatchObject({ ok: false, error: { kind: 'validation', code: 'UNKNOWN_ATTRIBUTE' } });
    expect(answerCase({ id: 5, expression: 'Item([p], 3)', source: { p: ['a'] } })).toMatchObject({ ok: false, error: { kind: 'runtime', code: 'OUT_OF_RANGE' } });
  });
});

describe('scim-planner eval', () => {
  it('prints the value for --source', async () => {
    const io = fakeIO();
    expect(await command.run(['Join(" ", [givenName], [surname])', '--source', '{"givenName":"John","surname":"Doe"}'], io)).toBe(0);
    expect(io.stdout).toEqual(['John Doe']);
  });

  it('prints an error with the expression and a caret under its span, exit 2 (an expression that does not check is bad input)', async () => {
    const io = fakeIO();
    expect(await command.run(['Appnd([mail], "x")'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('Unknown function Appnd; did you mean Append?\n  Appnd([mail], "x")\n  ^^^^^');
  });

  it('shows a runtime error under the argument that caused it', async () => {
    const io = fakeIO();
    expect(await command.run(['Mid("John", 0, 2)'], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('  Mid("John", 0, 2)\n              ^');
  });

  it('answers one JSON line per input line in --jsonl mode', async () => {
    const lines = [
      JSON.stringify({ id: 'a', expression: 'ToUpper([x])', source: { x: 'é' } }),
      'not json',
      JSON.stringify({ id: 'b', expression: 'DateAdd("d", 1, Now())', context: { now: '2021-01-31T00:00:00Z' } }),
    ];
    const io = fakeIO(`${lines.join('\n')}\n`);
    expect(await command.run(['--jsonl'], io)).toBe(0);
    const answers = io.stdout.map((line) => JSON.parse(line));
    expect(answers).toEqual([
      { id: 'a', ok: true, value: 'É' },
      expect.objectContaining({ id: null, ok: false, error: expect.objectContaining({ code: 'BAD_JSON' }) }),
      { id: 'b', ok: true, value: '2/1/2021 12:00:00 AM' },
    ]);
  });

  it('treats a missing expression or bad JSON source as usage errors', async () => {
    await expect(command.run([], fakeIO())).rejects.toBeInstanceOf(UsageError);
    await expect(command.run(['[a]', '--source', '{nope'], fakeIO())).rejects.toBeInstanceOf(UsageError);
  });
});
