import { create } from 'zustand';

export type MockServerTab = 'log' | 'users' | 'groups';

interface MockServerUiState {
  tab: MockServerTab;
  /** request log filters */
  logSearch: string;
  logStatus: number | null;
  logMethod: string | null;
  selectedSeq: number | null;
  /** users / groups browser */
  resourceSearch: string;
  selectedResourceId: string | null;
  /** the Secret Token stays masked until the admin reveals it */
  tokenRevealed: boolean;
  setTab(tab: MockServerTab): void;
  setLogFilter(filter: Partial<Pick<MockServerUiState, 'logSearch' | 'logStatus' | 'logMethod'>>): void;
  selectRequest(seq: number | null): void;
  setResourceSearch(search: string): void;
  selectResource(id: string | null): void;
  setTokenRevealed(revealed: boolean): void;
}

/** The Mock server screen's UI state only; the server's data stays in the workspace behind the API. */
export const useMockServerUi = create<MockServerUiState>()((set) => ({
  tab: 'log',
  logSearch: '',
  logStatus: null,
  logMethod: null,
  selectedSeq: null,
  resourceSearch: '',
  selectedResourceId: null,
  tokenRevealed: false,
  setTab: (tab) => set({ tab, selectedResourceId: null }),
  setLogFilter: (filter) => set({ ...filter, selectedSeq: null }),
  selectRequest: (selectedSeq) => set({ selectedSeq }),
  setResourceSearch: (resourceSearch) => set({ resourceSearch, selectedResourceId: null }),
  selectResource: (selectedResourceId) => set({ selectedResourceId }),
  setTokenRevealed: (tokenRevealed) => set({ tokenRevealed }),
}));
