import type { Frame, Page } from 'playwright-core';

/** What the admin reads and clicks: each must be whole on screen at the widths the app supports. */
const CHECKED = 'button, select, input:not([type="hidden"]), label, th, td, h1, h2, h3, [role="tab"], [role="status"], summary, legend';

/**
 * Geometry problems on the page (or a frame) below `root`, as sentences naming the element: a control or
 * header outside the viewport, cut by a clipping ancestor (horizontally: vertical scrolling is normal), text
 * wider than its own box (scrollWidth > clientWidth), or two controls drawn over each other. Deliberate
 * truncation (text-overflow: ellipsis) and Monaco's own widgets are not the page's layout and are left out.
 */
export function layoutProblems(target: Page | Frame, root = 'body'): Promise<string[]> {
  return target.evaluate(
    ({ root, checked }) => {
      const problems: string[] = [];
      const describe = (el: Element) => {
        const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
        return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}> "${text}"`;
      };
      const visible = (el: Element) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return false;
        const style = getComputedStyle(el);
        return style.visibility !== 'hidden' && style.display !== 'none' && el.closest('[hidden], [aria-hidden="true"]') === null;
      };
      const scope = document.querySelector(root);
      if (!scope) return [`nothing matches ${root}`];
      const viewportWidth = document.documentElement.clientWidth;
      const elements = [...scope.querySelectorAll(checked)].filter((el) => !el.closest('.monaco-editor, .mappings-hidden-label') && visible(el));
      const SLACK = 1;
      for (const el of elements) {
        const box = el.getBoundingClientRect();
        if (box.left < -SLACK || box.right > viewportWidth + SLACK) problems.push(`${describe(el)} is outside the ${viewportWidth}px viewport (${Math.round(box.left)}–${Math.round(box.right)})`);
        for (let parent = el.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
          const overflowX = getComputedStyle(parent).overflowX;
          if (overflowX === 'visible') continue;
          const clip = parent.getBoundingClientRect();
          if (box.left < clip.left - SLACK || box.right > clip.right + SLACK) {
            problems.push(`${describe(el)} is cut by ${describe(parent)} (${Math.round(box.left)}–${Math.round(box.right)} outside ${Math.round(clip.left)}–${Math.round(clip.right)})`);
            break;
          }
        }
        const style = getComputedStyle(el);
        const isField = el.tagName === 'INPUT' || el.tagName === 'SELECT';
        if (!isField && style.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + SLACK && el.clientWidth > 0) {
          problems.push(`${describe(el)} spills out of its box (${el.scrollWidth}px of text in ${el.clientWidth}px)`);
        }
      }
      // Controls drawn over each other: only leaf controls, so a label holding its own select is no overlap.
      const controls = elements.filter((el) => /^(BUTTON|SELECT|INPUT)$/.test(el.tagName) || el.getAttribute('role') === 'tab');
      for (let i = 0; i < controls.length; i++) {
        const a = controls[i]!.getBoundingClientRect();
        for (let j = i + 1; j < controls.length; j++) {
          const b = controls[j]!.getBoundingClientRect();
          const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (overlapX > 2 && overlapY > 2) problems.push(`${describe(controls[i]!)} overlaps ${describe(controls[j]!)}`);
        }
      }
      return problems;
    },
    { root, checked: CHECKED },
  );
}

/**
 * Disabled controls (buttons, selects, inputs) that do not say why (no tooltip, no description): issue 20 item 9
 * wants a reason on each.
 */
export function unexplainedDisabledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLButtonElement | HTMLSelectElement | HTMLInputElement>('.app button:disabled, .app select:disabled, .app input:disabled')]
      .filter((b) => !b.closest('.monaco-editor') && !b.title.trim() && !b.getAttribute('aria-describedby'))
      .map((b) => `<${b.tagName.toLowerCase()}> ${(b.getAttribute('aria-label') ?? b.labels?.[0]?.textContent ?? b.textContent ?? '').trim()}`),
  );
}
