/**
 * The vendor emulation interface and its checks live in shared/scim/vendor-behaviour.ts (one definition,
 * shared with shared/vendors' toMockBehaviour); re-exported here for the server's modules.
 */
export * from '../../../shared/scim/vendor-behaviour.ts';
