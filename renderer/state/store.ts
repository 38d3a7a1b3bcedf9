import { create } from 'zustand';
import type { TenantUserFilter, TenantUserSort } from '../../shared/api.ts';

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
  /** the Tenant table's filters (all must hold) and sort; null sort: the snapshot's order */
  userFilters: readonly TenantUserFilter[];
  userSort: TenantUserSort | null;
  selectedUserId: string | null;
  setSearch(search: string): void;
  setUserFilters(filters: readonly TenantUserFilter[]): void;
  setUserSort(sort: TenantUserSort | null): void;
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
  userFilters: [],
  userSort: null,
  selectedUserId: null,
  setSearch: (search) => set({ search }),
  setUserFilters: (userFilters) => set({ userFilters }),
  setUserSort: (userSort) => set({ userSort }),
  selectUser: (selectedUserId) => set({ selectedUserId }),
}));
