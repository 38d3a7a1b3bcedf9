import { create } from 'zustand';
import type { Dialect, UserAction } from '../preview/types.ts';

/**
 * The Preview screen's UI state (zustand holds UI state only): what the admin picked and filtered. The preview run
 * itself stays in the backend; the screen only caches its summary. The vendor is the project's (./project.ts).
 */
interface PreviewUiState {
  /** null follows the tenant URL's aadOptscim062020 flag; a value is the admin's what-if */
  dialectOverride: Dialect | null;
  actionFilter: UserAction | null;
  findingFilter: string | null;
  search: string;
  selectedUserId: string | null;
  setDialectOverride(dialect: Dialect | null): void;
  setActionFilter(action: UserAction | null): void;
  setFindingFilter(code: string | null): void;
  setSearch(search: string): void;
  /** kept across re-runs on purpose: after a fix the admin wants to see the same user's new requests */
  selectUser(userId: string | null): void;
}

export const initialPreviewUiState = {
  dialectOverride: null,
  actionFilter: null,
  findingFilter: null,
  search: '',
  selectedUserId: null,
} satisfies Partial<PreviewUiState>;

export const usePreviewUi = create<PreviewUiState>()((set) => ({
  ...initialPreviewUiState,
  setDialectOverride: (dialectOverride) => set({ dialectOverride }),
  setActionFilter: (actionFilter) => set({ actionFilter }),
  setFindingFilter: (findingFilter) => set({ findingFilter }),
  setSearch: (search) => set({ search }),
  selectUser: (selectedUserId) => set({ selectedUserId }),
}));
