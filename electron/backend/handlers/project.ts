import type { HandlersFor } from '../../../shared/api.ts';
import type { projectMethods } from '../../../shared/api/project.ts';
import type { VendorProfile } from '../../../shared/vendors/index.ts';
import type { BackendContext } from '../context.ts';
import { importVendorProfile, projectVendorProfile, setProjectVendor } from '../services/vendors.ts';

const describe = (profile: VendorProfile, builtIn: boolean) => ({ vendorId: profile.id, name: profile.name, builtIn });

/** The project's vendor and its custom vendor profiles (shared/api/project.ts); every screen follows vendor-changed. */
export function projectHandlers(ctx: BackendContext): HandlersFor<typeof projectMethods> {
  const isCustom = (session: ReturnType<BackendContext['session']>, id: string) => session.store.vendorProfiles.get(session.projectId, id) !== undefined;
  return {
    'project.vendor': () => {
      const session = ctx.session();
      const profile = projectVendorProfile(session.store, session.project());
      return describe(profile, !isCustom(session, profile.id));
    },
    'project.setVendor': ({ vendorId }) => {
      const session = ctx.session();
      const profile = setProjectVendor(session.store, session.project(), vendorId);
      ctx.changed(session, { change: 'vendor-changed', vendorId: profile.id });
      return describe(profile, !isCustom(session, profile.id));
    },
    'vendors.import': ({ profile, replace }) => {
      const session = ctx.session();
      const entry = importVendorProfile(session.store, session.projectId, profile, replace);
      // a new version of the project's own vendor changes what every screen checks against
      if (session.project().vendorId === entry.id) ctx.changed(session, { change: 'vendor-changed', vendorId: entry.id });
      return entry;
    },
  };
}
