import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CycleSummaryDto } from '../../../shared/api/provisioning.ts';
import { RunProgressView } from '../../../renderer/provisioning/RunView.tsx';
import { cleanup, render } from '../preview/render.tsx';

const summary = (failed: number) =>
  CycleSummaryDto.parse({
    kind: 'initial',
    created: 191,
    updated: 0,
    disabled: 0,
    deleted: 0,
    skipped: 9,
    failed,
    unchanged: 0,
    notProcessed: 0,
    requests: 751,
    durationMs: 8_400,
    status: 'completed',
    quarantine: null,
  });

const view = (failed: number) => render(<RunProgressView progress={{ runId: 1, done: 200, total: 200, status: 'completed', summary: summary(failed) }} rows={[]} onCancel={() => undefined} />);

/** Issue 20 item 7 ("0 errors" in red), as the admin's journey met it on the cycle summary: only real failures alarm. */
describe('the cycle summary’s Failed count', () => {
  // The screen's own stylesheet, so the test sees the colour the admin sees, not only a class name.
  beforeEach(() => {
    const style = document.createElement('style');
    style.textContent = `:root { --danger: rgb(200, 0, 0); } ${readFileSync(join(process.cwd(), 'renderer/styles/provisioning.css'), 'utf8')}`;
    document.head.append(style);
  });
  afterEach(async () => {
    await cleanup();
    document.head.replaceChildren();
  });
  const colour = (fact: Element) => getComputedStyle(fact.querySelector('dd')!).color;

  it('is not red when nothing failed', async () => {
    const fact = (await view(0)).querySelector('.prov-fact-failed')!;
    expect(fact.querySelector('dd')!.textContent).toBe('0');
    expect(colour(fact)).not.toBe('rgb(200, 0, 0)');
  });

  it('is red when objects failed', async () => {
    const fact = (await view(3)).querySelector('.prov-fact-failed')!;
    expect(fact.querySelector('dd')!.textContent).toBe('3');
    expect(colour(fact)).toBe('rgb(200, 0, 0)');
  });
});
