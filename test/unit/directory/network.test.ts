import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from '../../../electron/backend/directory/network.ts';

// Electron's net.fetch rejects with its ClientRequest's error, an Error whose message is Chromium's code
// (electron lib/browser/api/net-fetch.ts); the CLI's failures are covered against real servers in
// test/integration/directory/network.test.ts.
describe('describeNetworkFailure for the desktop app (Chromium net errors)', () => {
  it('points an untrusted certificate at the operating system store, not NODE_EXTRA_CA_CERTS', () => {
    const reason = describeNetworkFailure(new Error('net::ERR_CERT_AUTHORITY_INVALID'));
    expect(reason).toBe(
      "the server's certificate is not trusted (ERR_CERT_AUTHORITY_INVALID). If your network inspects HTTPS, install its root certificate in the operating system's certificate store",
    );
  });

  it('tells a proxy that cannot be reached from one that refuses the host', () => {
    expect(describeNetworkFailure(new Error('net::ERR_PROXY_CONNECTION_FAILED'))).toBe(
      'the system proxy could not be reached; check the proxy settings of this computer (ERR_PROXY_CONNECTION_FAILED)',
    );
    expect(describeNetworkFailure(new Error('net::ERR_TUNNEL_CONNECTION_FAILED'))).toBe(
      'the system proxy refused to connect to it; ask for this host to be allowed (ERR_TUNNEL_CONNECTION_FAILED)',
    );
  });

  it('keeps the code of a Chromium error it has no words for', () => {
    expect(describeNetworkFailure(new Error('net::ERR_SSL_PROTOCOL_ERROR'))).toBe(
      'the request failed (ERR_SSL_PROTOCOL_ERROR)',
    );
  });

  it('falls back to the innermost cause of anything else', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('bad record mac'), { code: 'ERR_SSL_X' }),
    });
    expect(describeNetworkFailure(error)).toBe('ERR_SSL_X: bad record mac');
  });
});
