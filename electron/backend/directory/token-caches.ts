/**
 * Token caches for the app's backend. Electron keeps each sign-in's MSAL cache in a file encrypted with
 * safeStorage; when the OS offers no real key store (Linux's `basic_text` backend, where safeStorage
 * only obfuscates with a fixed key) the admin is asked once before anything is written, and a "no"
 * keeps the sign-in in memory for this session.
 */
import type { TokenCacheStore } from './auth.ts';

/** Wraps a persistent cache so the first write waits for the admin's consent. */
export function consentingCache(persistent: TokenCacheStore, askConsent: () => Promise<boolean>): TokenCacheStore {
  let consent: Promise<boolean> | null = null;
  let declined = false;
  let memory: string | null = null;
  return {
    get description() {
      return declined ? 'in memory only (you chose not to store sign-ins without OS encryption)' : persistent.description;
    },
    async load() {
      if (memory !== null) return memory;
      return persistent.load();
    },
    async save(serialized) {
      memory = serialized;
      // One question per session and cache, however many times MSAL writes.
      consent ??= askConsent();
      if (await consent) await persistent.save(serialized);
      else declined = true;
    },
  };
}
