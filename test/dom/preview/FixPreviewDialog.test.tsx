import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PreviewScreen } from '../../../renderer/screens/PreviewScreen.tsx';
import { initialPreviewUiState, usePreviewUi } from '../../../renderer/state/preview.ts';
import { fixImpact, hireDateFormatGroup, listUsersOver, summary, userRows, vendorList } from './fixtures.ts';
import { byText, cleanup, click, press, render, settle } from './render.tsx';
import { callsOf, resetFakeApi, setHandler } from './fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('./fake-api.ts'));

const HIRE_DATE = hireDateFormatGroup.attribute!;
const fixButton = (view: HTMLElement) => view.querySelector<HTMLButtonElement>(`button[aria-label="Fix it: VENDOR_FORMAT on ${HIRE_DATE}"]`);

let runs = 0;
beforeEach(() => {
  resetFakeApi();
  usePreviewUi.setState({ ...initialPreviewUiState, vendorId: 'hithrive' });
  runs = 0;
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(500);
  setHandler('vendors.list', () => vendorList);
  setHandler('preview.listUsers', listUsersOver(userRows(10)));
  setHandler('preview.run', () => {
    runs++;
    return summary({ runId: `run-${runs}`, vendorId: 'hithrive', errors: 170, findingGroups: runs === 1 ? [hireDateFormatGroup] : [] });
  });
  setHandler('preview.applyFix', () => ({ revision: 5, label: 'Fix for HiThrive: a value in the wrong format (hire_date)' }));
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

async function openFix() {
  const view = await render(<PreviewScreen />);
  await settle();
  await click(fixButton(view));
  await settle();
  return view;
}

describe('Fix it previews the fix before anything is saved', () => {
  it('shows what the fix changes, how many users, before/after values and errors; Cancel saves nothing', async () => {
    setHandler('preview.fixImpact', () => fixImpact());
    const view = await openFix();
    expect(callsOf('preview.fixImpact')).toEqual([{ runId: 'run-1', code: 'VENDOR_FORMAT', attribute: HIRE_DATE }]);
    const dialog = view.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector('.fix-description')!.textContent).toBe('Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy).');
    expect(dialog.querySelector('.fix-counts')!.textContent).toBe('This fix changes 170 users of 200. Errors: 170 now → 0 after the fix.');
    // the mapping change, row by row, through the Mappings screen's difference
    expect(dialog.querySelector('.mapping-diff-table')!.textContent).toContain('"dd.MM.yyyy")');
    expect(dialog.querySelector('.mapping-diff-table')!.textContent).toContain('"yyyy-MM-dd")');
    const sample = [...dialog.querySelectorAll('.fix-sample tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(sample).toEqual([
      ['megan.bowen@contoso.com', HIRE_DATE, '"09.07.2004"', '"2004-07-09"'],
      ['adele.vance@contoso.com', HIRE_DATE, '"01.03.2021"', '"2021-03-01"'],
    ]);

    await click(byText(dialog, 'button', 'Cancel'));
    await settle();
    expect(view.querySelector('[role="dialog"]')).toBeNull();
    expect(callsOf('preview.applyFix')).toEqual([]);
    expect(callsOf('preview.run')).toHaveLength(1);
    expect(view.querySelector('.fix-saved')).toBeNull();
    // Fix it is offered again after a cancel
    expect(fixButton(view)!.disabled).toBe(false);
  });

  it('Escape cancels too', async () => {
    setHandler('preview.fixImpact', () => fixImpact());
    const view = await openFix();
    await press(view.querySelector('[role="dialog"]')!, 'Escape');
    await settle();
    expect(view.querySelector('[role="dialog"]')).toBeNull();
    expect(callsOf('preview.applyFix')).toEqual([]);
  });

  it('saves on Apply, says the revision and re-runs the preview on it', async () => {
    setHandler('preview.fixImpact', () => fixImpact());
    const view = await openFix();
    await click(byText(view, '.fix-preview button', 'Apply and save as a new revision'));
    await settle();
    expect(callsOf('preview.applyFix')).toEqual([{ runId: 'run-1', code: 'VENDOR_FORMAT', attribute: HIRE_DATE }]);
    expect(view.querySelector('[role="dialog"]')).toBeNull();
    expect(view.querySelector('.fix-saved')!.textContent).toBe('✔ Saved as mapping revision 5: Fix for HiThrive: a value in the wrong format (hire_date)');
    expect(callsOf('preview.run')).toHaveLength(2);
  });

  it('offers no Apply for a fix that would add errors, and the finding then says why', async () => {
    const reason = `This fix is not offered: it would add EXPRESSION_RUNTIME_ERROR on ${HIRE_DATE} (170 user(s)).`;
    setHandler('preview.fixImpact', () =>
      fixImpact({
        errorsAfter: 170,
        newErrors: [{ code: 'EXPRESSION_RUNTIME_ERROR', attribute: HIRE_DATE, users: 170, message: 'FormatDateTime: "Sales" does not match the input format' }],
        offered: false,
        notOffered: reason,
      }),
    );
    const view = await openFix();
    const dialog = view.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector('.fix-not-offered')!.textContent).toBe(reason);
    expect(dialog.querySelector('.fix-new-errors')!.textContent).toContain('EXPRESSION_RUNTIME_ERROR');
    expect(byText(dialog, 'button', 'Apply and save as a new revision')).toBeUndefined();
    await click(byText(dialog, 'button', 'Close'));
    await settle();
    expect(callsOf('preview.applyFix')).toEqual([]);
    expect(fixButton(view)).toBeNull();
    expect(view.querySelector('.finding-fix-refused')!.textContent).toBe(reason);
  });

  it('says why the fix was not saved when Apply is refused, and keeps the dialog open', async () => {
    setHandler('preview.fixImpact', () => fixImpact());
    setHandler('preview.applyFix', () => {
      throw new Error('The mappings were saved as revision 6 after this preview ran; run the preview again, then apply the fix.');
    });
    const view = await openFix();
    await click(byText(view, '.fix-preview button', 'Apply and save as a new revision'));
    await settle();
    expect(view.querySelector('.fix-preview .error-text')!.textContent).toBe(
      'The fix was not saved: The mappings were saved as revision 6 after this preview ran; run the preview again, then apply the fix.',
    );
    expect(callsOf('preview.run')).toHaveLength(1);
  });
});
