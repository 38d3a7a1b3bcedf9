import type { MethodOutput } from '../../shared/api.ts';

export type Plan = MethodOutput<'provisioning.plan'>;
export type RunInfo = MethodOutput<'provisioning.runs'>[number];
export type CycleSummary = NonNullable<RunInfo['summary']>;
export type AuditRow = MethodOutput<'provisioning.auditLog'>['items'][number];
export type AuditEntry = MethodOutput<'provisioning.auditEntry'>;
export type ConnectionResult = MethodOutput<'provisioning.testConnection'>;
