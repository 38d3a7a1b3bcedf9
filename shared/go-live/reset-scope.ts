/**
 * What a job restart can clear (Microsoft Graph "synchronizationJobRestartCriteria", resetScope): declared once for the
 * CLI's --restart, the app's API and the Graph call.
 */
export const RESET_SCOPES = ['Watermark', 'Escrows', 'QuarantineState', 'Full', 'ForceDeletes'] as const;
export type ResetScope = (typeof RESET_SCOPES)[number];
