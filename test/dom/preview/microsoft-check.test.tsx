import { act } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PreviewScreen } from '../../../renderer/screens/PreviewScreen.tsx';
import { initialPreviewUiState, usePreviewUi } from '../../../renderer/state/preview.ts';
import { resetProjectStore, useProject } from '../../../renderer/state/project.ts';
import { checkRevisionOne, partlyDisagreeing } from '../../integration/synchronization/checked-revision.ts';
import { mappingSet, startTenant, type Tenant } from '../../integration/synchronization/tenant.ts';
import { tempDir } from '../../support/temp.ts';
import { startRealBackend, type RealBackend } from '../support/real-backend.ts';
import { byText, cleanup, click, render } from './render.tsx';

/**
 * Issue 14 in the Preview, on the real backend and workspace: revision 1 checked with the fake Graph over HTTP (Entra
 * folds Chloé's accents in displayName and refuses `active` for Bob), then the Preview of that revision, of an
 * unchecked one, and of Entra's defaults.
 */

const CHLOE = 'c3333333-0000-4000-8000-000000000003';
const ALICE = 'a1111111-0000-4000-8000-000000000001';
const BOB = 'b2222222-0000-4000-8000-000000000002';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;
let real: RealBackend;

beforeEach(async () => {
  resetProjectStore();
  usePreviewUi.setState(initialPreviewUiState);
  temp = tempDir('dom-preview-check-');
  tenant = await startTenant(temp.path);
  partlyDisagreeing(tenant.checks);
  // happy-dom's fetch keeps to the page's origin; the backend is Node's, so it calls Graph with Node's fetch
  real = startRealBackend({ directory: { graph: { fetch: nodeFetch as unknown as typeof fetch } } });
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
  await real.close();
  await tenant.graph.close();
  temp.cleanup();
});

async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; the screen says: ${document.body.textContent?.slice(0, 2000)}`);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

const checkRevision = (users?: string[]) =>
  checkRevisionOne(
    real.call,
    (listener) => real.backend.events.subscribe(listener),
    tenant.graph.baseUrl,
    tenant.graph.accessToken,
    users,
  );

/** The Preview of the project's newest snapshot and latest revision, once its run is in. */
async function openPreview(revisionFacts: string): Promise<HTMLElement> {
  await useProject.getState().load();
  const view = await render(<PreviewScreen />);
  await until(`the preview of ${revisionFacts}`, () =>
    view.querySelector('.run-facts')?.textContent?.includes(revisionFacts),
  );
  return view;
}

const section = (view: HTMLElement) => view.querySelector('[data-testid="preview-microsoft-check"]');

/** What a click on "Where Microsoft differs" does: the list opens (and only then renders). */
async function openDifferences(view: HTMLElement): Promise<void> {
  const details = await until('the differences', () => section(view)?.querySelector('details'));
  await act(async () => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
}

async function openUser(view: HTMLElement, userId: string): Promise<Element> {
  await act(async () => usePreviewUi.getState().selectUser(userId));
  await click(view.querySelector('#preview-tab-user'));
  return until('the user’s preview', () => view.querySelector('.user-preview-detail'));
}

describe('the Preview shows what Microsoft confirmed', { timeout: 60_000 }, () => {
  it('sums up the check of the previewed revision and lists where Entra differs, user by user', async () => {
    const { snapshotId } = await checkRevision();
    const view = await openPreview(`Mapping revision 1 · snapshot ${snapshotId}`);
    const line = await until('the check line', () => section(view)?.querySelector('p')?.textContent);
    expect(line).toMatch(
      /^Checked with Microsoft \(revision 1, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, job scim\.[0-9a-f.]+\): 1 row agrees on all 3 sampled users, 2 differ\.$/,
    );
    expect(section(view)!.querySelector('summary')!.textContent).toBe('Where Microsoft differs (2 rows)');
    expect(section(view)!.querySelector('table')).toBeNull();
    await openDifferences(view);
    const rows = [...section(view)!.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      [
        'active',
        'bob@fabrikam.com',
        'Entra refused',
        '["True"]',
        'refused: ExpressionEvaluationFailed: The attribute IsSoftDeleted could not be read for this object',
      ],
      ['displayName', 'chloe@contoso.com', 'differs', '["Chloé Dupré"]', '["Chloe Dupre"]'],
    ]);
  });

  it('marks each checked attribute in a sampled user’s detail, with Entra’s value', async () => {
    const { snapshotId } = await checkRevision();
    const view = await openPreview(`Mapping revision 1 · snapshot ${snapshotId}`);
    await until('the check line', () => section(view)?.querySelector('p'));
    const chloe = await openUser(view, CHLOE);
    const marks = await until('Chloé’s marks', () => chloe.querySelector('[data-testid="user-microsoft-check"]'));
    expect(
      [...marks.querySelectorAll('tbody tr')].map((tr) => [
        tr.getAttribute('data-verdict'),
        ...[...tr.children].map((cell) => cell.textContent),
      ]),
    ).toEqual([
      ['agree', 'active', 'agrees', '["False"]', '["False"]'],
      ['differ', 'displayName', 'differs', '["Chloe Dupre"]', '["Chloé Dupré"]'],
      ['agree', 'preferredLanguage', 'agrees', '["fr_FR"]', '["fr_FR"]'],
    ]);
    expect(chloe.querySelector('h3')!.textContent).toMatch(/^Checked with Microsoft \(revision 1, /);

    const alice = await openUser(view, ALICE);
    await until('Alice’s marks', () =>
      alice.querySelector('[data-testid="user-microsoft-check"] tbody tr[data-verdict="agree"]'),
    );
    expect(alice.querySelectorAll('[data-testid="user-microsoft-check"] tbody tr[data-verdict="agree"]')).toHaveLength(
      3,
    );
  });

  it('says so for a user the check did not sample, rather than show no mark', async () => {
    const { snapshotId } = await checkRevision(['alice@contoso.com', 'chloe@contoso.com']);
    const view = await openPreview(`Mapping revision 1 · snapshot ${snapshotId}`);
    expect(await until('the check line', () => section(view)?.querySelector('p')?.textContent)).toMatch(
      /on all 2 sampled users, 1 differs\.$/,
    );
    const bob = await openUser(view, BOB);
    const line = await until('Bob’s line', () => bob.querySelector('[data-testid="user-microsoft-check"]'));
    expect(line.textContent).toMatch(
      /^Checked with Microsoft \(revision 1, .*\): this user was not in the sample Entra evaluated\.$/,
    );
    expect(line.querySelector('table, tr')).toBeNull();
  });

  it('exports the disagreements as expression vectors, with real values only when ticked', async () => {
    const { snapshotId } = await checkRevision();
    const view = await openPreview(`Mapping revision 1 · snapshot ${snapshotId}`);
    await openDifferences(view);
    const blobs: Blob[] = [];
    const createObjectURL = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return createObjectURL(blob);
    });
    const exportButton = () => byText(section(view)!, 'button', 'Export as expression vectors');

    await click(exportButton());
    expect(await until('the saved file', () => section(view)!.querySelector('[role="status"]')?.textContent)).toBe(
      ' Saved entra-check-revision-1.jsonl (2 vectors)',
    );
    const plain = (await blobs[0]!.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(plain.map((v) => v.attributes)).toEqual([['IsSoftDeleted'], ['givenName', 'surname']]);
    expect(plain.every((v) => JSON.stringify(v.source) === '{}' && !('expected' in v))).toBe(true);

    await click(section(view)!.querySelector('.check-vector-export input[type="checkbox"]'));
    await click(exportButton());
    await until('the file with values', () =>
      section(view)!.querySelector('[role="status"]')?.textContent?.includes('with-values'),
    );
    const withValues = (await blobs[1]!.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(withValues[1]).toMatchObject({ source: { givenName: 'Chloé', surname: 'Dupré' }, expected: 'Chloe Dupre' });
  });

  it('says a revision was not checked, naming the one that was, instead of showing its result', async () => {
    await checkRevision();
    await real.call('mappings.save', {
      label: 'After',
      mappingSet: mappingSet({ title: 'ToUpper([jobTitle])' }) as never,
    });
    const view = await openPreview('Mapping revision 2');
    const line = await until('the not-checked line', () => section(view)?.textContent);
    expect(line).toMatch(
      /^Not checked with Microsoft for this revision \(revision 2\): to check it, use "Check with Microsoft" on the Mappings screen/,
    );
    expect(line).toMatch(
      /The newest check is of revision 1 \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\); it does not apply to this one\.$/,
    );
    expect(section(view)!.querySelector('table')).toBeNull();
    const chloe = await openUser(view, CHLOE);
    expect(chloe.querySelector('[data-testid="user-microsoft-check"]')).toBeNull();
  });

  it('says Entra’s default mappings cannot have been checked', async () => {
    const view = await openPreview('Entra’s default mappings (no revision saved)');
    const line = await until('the not-checked line', () => section(view)?.textContent);
    expect(line).toMatch(/^Not checked with Microsoft: Entra's default mappings are not a saved revision/);
  });
});
