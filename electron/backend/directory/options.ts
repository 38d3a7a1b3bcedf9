import type { INetworkModule } from '@azure/msal-node';
import type { CacheEncryptor } from './auth.ts';
import type { GraphReaderOptions } from './graph-reader.ts';

/** How the directory area keeps sign-ins and reaches Microsoft Graph; given once when the backend starts. */
export interface DirectoryServiceOptions {
  /**
   * Where sign-ins outlive the process (Electron: the user-data folder). Without it, or without an
   * encryptor, every sign-in is kept in memory only (browser mode, tests): there is no OS key store.
   */
  tokenCacheDir?: string;
  /** encrypts the MSAL cache files (Electron: safeStorage) */
  encryptor?: CacheEncryptor;
  /** asked once before the first cache write when the encryption is weak (Linux basic_text) */
  confirmWeakStorage?: () => Promise<boolean>;
  /** MSAL's network seam; tests answer the identity provider here (test/support/fake-graph) */
  identityNetworkClient?: INetworkModule;
  /**
   * Graph reader tuning; tests shorten throttling waits. `fetch` is the network stack for Graph and for
   * MSAL's sign-in requests alike: Electron passes net.fetch (system proxy, OS certificates); the default
   * is environmentFetch() (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, NODE_EXTRA_CA_CERTS).
   */
  graph?: Pick<GraphReaderOptions, 'fetch' | 'sleep' | 'pageSize' | 'backoffMs' | 'maxRetries'>;
}
