import { create } from 'zustand';

/** The screens of the app, in the order of the navigation. */
export const screens = ['tenant', 'mappings', 'preview', 'mock-server', 'provisioning', 'reports'] as const;
export type Screen = (typeof screens)[number];

interface NavigationSlice {
  screen: Screen;
  go(screen: Screen): void;
}

interface TenantSlice {
  snapshotId: number | null;
  search: string;
  selectedUserId: string | null;
  selectSnapshot(id: number | null): void;
  setSearch(search: string): void;
  selectUser(id: string | null): void;
}

/**
 * UI state only (docs/architecture.md, "Layers"): which screen, which snapshot and user are selected. Domain data stays
 * in the workspace behind the API.
 */
export const useUiStore = create<NavigationSlice & TenantSlice>()((set) => ({
  screen: 'tenant',
  go: (screen) => set({ screen }),
  snapshotId: null,
  search: '',
  selectedUserId: null,
  selectSnapshot: (snapshotId) => set({ snapshotId, selectedUserId: null }),
  setSearch: (search) => set({ search }),
  selectUser: (selectedUserId) => set({ selectedUserId }),
}));
