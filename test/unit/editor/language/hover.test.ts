import { describe, expect, it } from 'vitest';
import { hoverAt } from '../../../../renderer/editor/language/hover.ts';
import type { SchemaAttribute } from '../../../../renderer/editor/language/completion.ts';

const mail: SchemaAttribute = { name: 'mail', type: 'String', multiValued: false, availability: 'default', inSnapshot: true, notes: 'Often null.' };
const context = { schema: new Map([['mail', mail]]), source: { mail: 'zoe@contoso.com' }, userLabel: 'Zoë Adams' };

describe('hover', () => {
  it('shows a function’s signature, description and example from the catalogue', () => {
    const hover = hoverAt('ToLower([mail])', 2, context)!;
    expect(hover).toMatchObject({ start: 0, end: 7 });
    expect(hover.contents[0]).toContain('ToLower(source, [culture]) → string');
    expect(hover.contents[0]).toMatch(/Example: `/);
  });

  it('shows an attribute’s type, notes and the selected user’s value', () => {
    const hover = hoverAt('ToLower([mail])', 10, context)!;
    expect(hover.contents).toEqual(['**[mail]** String', 'Often null.', 'Zoë Adams: `"zoe@contoso.com"`']);
    const missing = hoverAt('[mail]', 2, { ...context, source: {} })!;
    expect(missing.contents.at(-1)).toBe('Zoë Adams: _null (no value)_');
  });

  it('says when a name is not a function, and notes the documented casing', () => {
    expect(hoverAt('Jion([a])', 1, context)!.contents[0]).toContain('is not a function');
    expect(hoverAt('tolower([a])', 1, context)!.contents[1]).toBe('Written `ToLower` in Microsoft’s documentation.');
  });
});
