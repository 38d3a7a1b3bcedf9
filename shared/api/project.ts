import { z } from 'zod';
import { empty, method, type MethodSpec } from './define.ts';

/**
 * The project's vendor (issue 20): chosen once, kept in the workspace, read and changed from any screen that
 * shows a vendor picker. Custom profiles the admin imports sit beside the built-in ones.
 */
const vendorId = z.string().trim().min(1).max(100);

export const VendorEntry = z.object({ id: z.string(), name: z.string(), builtIn: z.boolean(), summary: z.string() });
export type VendorEntry = z.infer<typeof VendorEntry>;

/** The project's vendor as the screens show it. */
export const ProjectVendor = z.object({ vendorId: z.string(), name: z.string(), builtIn: z.boolean() });
export type ProjectVendor = z.infer<typeof ProjectVendor>;

export const projectMethods = {
  'project.vendor': method('The vendor profile the current project is planned for', empty, ProjectVendor),
  'project.setVendor': method(
    'Choose the project’s vendor profile (a built-in one or one of the project’s custom profiles)',
    z.object({ vendorId }).strict(),
    ProjectVendor,
  ),
  'vendors.import': method(
    'Import an admin-defined vendor profile (the vendor profile JSON format) into the current project',
    z
      .object({
        /** the profile file's text; 2 MB is far above any real profile */
        profile: z.string().min(1).max(2_000_000),
        /** replace the project's custom profile with the same id */
        replace: z.boolean().default(false),
      })
      .strict(),
    VendorEntry,
  ),
} satisfies Record<string, MethodSpec>;
