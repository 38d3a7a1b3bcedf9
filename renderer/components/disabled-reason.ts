/**
 * The props of a button that may be unavailable: when there is a reason, the button is disabled and the
 * reason is its tooltip and accessible description (a title is read as the description when the name
 * comes from the text or aria-label), so the admin learns why instead of meeting a dead button.
 * `hint` is the tooltip while the button works (a shortcut, say).
 */
export function disabledBecause(reason: string | false | null | undefined, hint?: string): { disabled: boolean; title?: string } {
  if (reason) return { disabled: true, title: reason };
  return hint === undefined ? { disabled: false } : { disabled: false, title: hint };
}
