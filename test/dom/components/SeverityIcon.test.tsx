import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SeverityCount } from '../../../renderer/components/SeverityIcon.tsx';
import { cleanup, render } from '../preview/render.tsx';

afterEach(cleanup);

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(tsx?|css|html)$/.test(name)) yield path;
  }
}

describe('severity glyphs and counts', () => {
  it('says "1 error" and "2 errors", and keeps "0 errors" muted instead of red', async () => {
    const view = await render(
      <p>
        <SeverityCount severity="error" count={1} />
        <SeverityCount severity="error" count={1234} />
        <SeverityCount severity="error" count={0} />
        <SeverityCount severity="warning" count={1} />
      </p>,
    );
    const counts = [...view.querySelectorAll('.severity-count')].map((el) => [el.className, el.textContent]);
    expect(counts).toEqual([
      ['severity-count severity-error', ' 1 error'],
      ['severity-count severity-error', ' 1,234 errors'],
      ['severity-count severity-none', ' 0 errors'],
      ['severity-count severity-warning', ' 1 warning'],
    ]);
  });

  it('the renderer uses no emoji glyph, which shows as an empty box without an emoji font', () => {
    // characters that render as emoji by default (⛔ among them), or text symbols forced to emoji by U+FE0F
    const emoji = /[\p{Emoji_Presentation}\uFE0F]/u;
    const offenders = [...sourceFiles(join(import.meta.dirname, '../../../renderer'))].filter((file) => emoji.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
