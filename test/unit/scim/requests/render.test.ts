import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderRequest } from '../../../../shared/scim/requests/render.ts';
import { matchQuery, patchRequest, postRequest } from '../../../../shared/scim/requests/user.ts';

describe('rendering requests', () => {
  it('a GET carries only the Authorization header (Entra sends no Accept)', () => {
    const rendered = renderRequest(matchQuery('Users', 'userName', 'a@contoso.com'), { baseUrl: 'https://api.contoso.com/scim' });
    expect(rendered).toMatchObject({ method: 'GET', path: '/Users?filter=userName+eq+%22a%40contoso.com%22', body: null });
    expect(rendered.headers).toEqual({ Authorization: 'Bearer <secret token>' });
    expect(rendered.curl).toBe(`curl -g -X GET 'https://api.contoso.com/scim/Users?filter=userName+eq+%22a%40contoso.com%22' -H "Authorization: Bearer $SCIM_TOKEN"`);
  });

  it('a body request is application/scim+json and the curl reads the base and token from the environment', () => {
    const rendered = renderRequest(postRequest('Users', { userName: "o'brien@contoso.com" }));
    expect(rendered.headers['Content-Type']).toBe('application/scim+json');
    expect(rendered.curl).toContain(`"$SCIM_BASE"'/Users'`);
    expect(rendered.curl).toContain(`--data-raw '{"userName":"o'\\''brien@contoso.com"}'`);
  });

  it('the curl command survives a real shell: the body reaches curl intact', () => {
    const rendered = renderRequest(patchRequest('Users', '{id:o\'brien@contoso.com}', [{ op: 'Replace', path: 'displayName', value: `Tom "T" O'Brien $HOME` }]), { baseUrl: 'http://127.0.0.1:9' });
    // Replace curl by a printer of its arguments to see what the shell hands it.
    const script = `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }; ${rendered.curl}`;
    const args = execFileSync('sh', ['-c', script], { env: { SCIM_TOKEN: 'tok' } }).toString().split('\n');
    expect(args).toContain("http://127.0.0.1:9/Users/{id:o'brien@contoso.com}");
    expect(args).toContain('Authorization: Bearer tok');
    expect(JSON.parse(args[args.indexOf('--data-raw') + 1]!)).toEqual(rendered.body);
  });
});
