import type { Page } from 'playwright-core';

/** One piece of visible text whose colour does not stand out enough from what is behind it. */
export interface ContrastProblem {
  /** tag, classes and the start of the text, enough to find the element */
  element: string;
  ratio: number;
  required: number;
  color: string;
  background: string;
}

/**
 * WCAG 2.1 success criterion 1.4.3 (contrast, minimum) over every visible text node on the page: 4.5:1 for
 * normal text, 3:1 for large text (24px, or 18.66px bold). The background is found by compositing the
 * translucent backgrounds of the element and its ancestors over the page's; background images are not
 * considered (the app uses none behind text). Disabled controls are exempt, as WCAG says. Monaco draws its
 * own themed text and is checked by its theme, so its subtree is skipped.
 */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const m = /rgba?\(([^)]+)\)/.exec(css);
      if (!m) return [0, 0, 0, 0];
      const parts = m[1]!
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts.length > 3 ? parts[3]! : 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let node: Element | null = element; node; node = node.parentElement) {
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      // The canvas behind everything: the root's colour scheme decides it when nothing is painted.
      const dark = matchMedia('(prefers-color-scheme: dark)').matches;
      let result: Rgba = dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const describe = (element: Element, text: string) =>
      `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\s+/).join('.') : ''} "${text.slice(0, 40)}"`;

    const problems: ContrastProblem[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element || seen.has(element)) continue;
      seen.add(element);
      if (element.closest('.monaco-editor, script, style, noscript, [aria-hidden="true"]')) continue;
      if (element.closest('button:disabled, input:disabled, select:disabled, option, [aria-disabled="true"]')) continue;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || style.visibility !== 'visible' || Number(style.opacity) === 0)
        continue;
      if (box.bottom < 0 || box.top > innerHeight || box.right < 0 || box.left > innerWidth) continue;
      const background = backgroundOf(element);
      const color = over(parse(style.color), background);
      const [light, dark] = [luminance(color), luminance(background)].sort((a, b) => b - a) as [number, number];
      const ratio = (light + 0.05) / (dark + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const required = large ? 3 : 4.5;
      if (ratio < required) {
        const css = (c: Rgba) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;
        problems.push({
          element: describe(element, text),
          ratio: Math.round(ratio * 100) / 100,
          required,
          color: css(color),
          background: css(background),
        });
      }
    }
    return problems;
  });
}
