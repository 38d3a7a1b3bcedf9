/**
 * Browser mode exactly as electron/bridge/web.ts serves it, with one difference: the backend's MSAL talks
 * to the fake authority (test/support/fake-graph/fake-authority.ts) at its network seam instead of
 * login.microsoftonline.com. Test-only, so the app itself has no switch for this.
 *
 * `node --import tsx test/e2e/support/web-with-fake-authority.ts --port 0 --workspace FILE --fake-authority JSON`,
 * JSON being FakeAuthorityOptions. The test's browser plays the sign-in page with its own fake made from the
 * same options: the authorization codes carry what they were issued for, so the two fakes agree.
 */
import { parseArgs } from 'node:util';
import { serveBrowserMode } from '../../../electron/bridge/web.ts';
import { createFakeAuthority, type FakeAuthorityOptions } from '../../support/fake-graph/fake-authority.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    workspace: { type: 'string' },
    'fake-authority': { type: 'string' },
  },
  strict: true,
});
if (!values['fake-authority']) throw new Error('--fake-authority JSON (FakeAuthorityOptions) is required');
const authority = createFakeAuthority(JSON.parse(values['fake-authority']) as FakeAuthorityOptions);
await serveBrowserMode({
  port: Number(values.port),
  workspace: values.workspace,
  directory: { identityNetworkClient: authority.networkClient },
});
