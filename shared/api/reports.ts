import { z } from 'zod';
import { id, method, type MethodSpec } from './define.ts';
import { REPORT_FORMATS, REPORT_SECTIONS } from '../reports/model.ts';
import { REDACTION_MODES } from '../reports/redact.ts';

/**
 * The Reports screen's contract (issue 10): a live HTML preview for a sandboxed iframe, and the report
 * in any format for saving. In browser mode the content comes back for download; in the desktop app
 * main.ts shows the save dialog and writes the same content (electron/backend/reports/service.ts).
 */
export const ReportFormatSchema = z.enum(REPORT_FORMATS);
export const RedactionModeSchema = z.enum(REDACTION_MODES as unknown as ['off', 'pseudonymise', 'remove']);

export const ReportOptionsInput = z
  .object({
    snapshotId: id.optional(),
    /** a saved mapping revision; default the latest (Entra's defaults when none is saved) */
    revision: z.number().int().positive().optional(),
    /** a vendor profile; default the project's */
    vendorId: z.string().min(1).max(100).optional(),
    sections: z.array(z.enum(REPORT_SECTIONS)).max(REPORT_SECTIONS.length).optional(),
    /** object ids or UPNs of the users whose payloads are shown */
    sampleUsers: z.array(z.string().min(1).max(300)).max(20).optional(),
    /** pseudonymise unless the admin chooses otherwise: reports are made to leave the machine */
    redaction: RedactionModeSchema.default('pseudonymise'),
  })
  .strict();
export type ReportOptionsInput = z.infer<typeof ReportOptionsInput>;

export const reportsMethods = {
  'reports.preview': method(
    'The report as self-contained HTML, for a live preview in a sandboxed iframe',
    z.object({ options: ReportOptionsInput }).strict(),
    z.object({ html: z.string(), fileName: z.string(), errors: z.number().int(), warnings: z.number().int() }),
  ),
  'reports.save': method(
    'The report in a format, for download (text as UTF-8, PDF as base64)',
    z.object({ format: ReportFormatSchema, options: ReportOptionsInput }).strict(),
    z.object({
      fileName: z.string(),
      mediaType: z.string(),
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
      /** for the Entra schema: the Graph call that applies it */
      note: z.string().nullable(),
    }),
  ),
} satisfies Record<string, MethodSpec>;
