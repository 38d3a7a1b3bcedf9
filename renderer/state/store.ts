import { create } from 'zustand';

/** The screens of the app, in the order of the navigation. */
export const screens = ['tenant', 'mappings', 'preview', 'mock-server', 'provisioning', 'reports'] as const;
export type Screen = (typeof screens)[number];

interface NavigationSlice {
  screen: Screen;
  go(screen: Screen): void;
}

/** The Tenant screen's list; which snapshot is current is the project's (./project.ts). */
interface TenantSlice {
  search: string;
  selectedUserId: string | null;
  setSearch(search: string): void;
  selectUser(id: string | null): void;
}

/**
 * UI state only (docs/architecture.md, "Layers"): which screen, which user is selected. Domain data stays
 * in the workspace behind the API.
 */
export const useUiStore = create<NavigationSlice & TenantSlice>()((set) => ({
  screen: 'tenant',
  go: (screen) => set({ screen }),
  search: '',
  selectedUserId: null,
  setSearch: (search) => set({ search }),
  selectUser: (selectedUserId) => set({ selectedUserId }),
}));
