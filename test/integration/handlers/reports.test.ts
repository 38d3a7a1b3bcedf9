import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { findChromium } from '../../../electron/backend/reports/pdf.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { MethodName } from '../../../shared/api.ts';
import { importMappingSet } from '../../../shared/mapping/model.ts';
import { tempDir } from '../../support/temp.ts';
import { demoPersonalValues, leakedValues, vendorReadySet } from '../../unit/reports/demo.ts';

/** The reports handlers on a real workspace (the demo project), through the dispatch every door uses. */
describe('reports handlers on a temp workspace', () => {
  const dir = tempDir('scim-planner-reports-');
  let backend: Backend;

  async function call<T = unknown>(name: MethodName, input: unknown): Promise<T> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as T;
  }

  beforeAll(() => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
  });
  afterAll(async () => {
    await backend.close();
    dir.cleanup();
  });

  it('previews the demo project as HTML, pseudonymised by default', async () => {
    const preview = await call<{ html: string; fileName: string; warnings: number }>('reports.preview', { options: {} });
    expect(preview.html).toContain('SCIM mapping report — Contoso demo');
    expect(preview.html).toContain('Entra default mappings (no revision saved)');
    expect(preview.fileName).toBe('contoso-demo-generic-report.html');
    expect(leakedValues(preview.html, demoPersonalValues())).toEqual([]);
  });

  it('reports the latest saved revision with the chosen vendor and sections', async () => {
    // a second connection to the same file, as the Mappings screen's save would write it
    const { projectId, workspacePath } = await call<{ projectId: number; workspacePath: string }>('app.info', {});
    const store = new WorkspaceStore(workspacePath);
    store.saveMappingRevision(projectId, 'HiThrive fixes', JSON.stringify(vendorReadySet('hithrive')));
    store.close();
    const preview = await call<{ html: string }>('reports.preview', { options: { vendorId: 'hithrive', sections: ['mappings', 'vendorTicket'] } });
    expect(preview.html).toContain('Revision 1 — HiThrive fixes');
    expect([...preview.html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1])).toEqual(['mappings', 'vendorTicket']);
  });

  it('saves text formats as UTF-8 and the Entra schema with the Graph call', async () => {
    const md = await call<{ encoding: string; content: string; mediaType: string }>('reports.save', { format: 'md', options: { vendorId: 'hithrive' } });
    expect(md).toMatchObject({ encoding: 'utf8', mediaType: 'text/markdown; charset=utf-8' });
    expect(md.content).toMatch(/^# SCIM mapping report/);
    const schema = await call<{ content: string; note: string; fileName: string }>('reports.save', { format: 'entra-schema', options: {} });
    expect(schema.fileName).toBe('contoso-demo-generic-mappings.schema.json');
    expect(importMappingSet(JSON.parse(schema.content)).ok).toBe(true);
    expect(schema.note).toContain('/synchronization/jobs/{jobId}/schema');
  });

  it.skipIf(!findChromium())('saves a PDF as base64', async () => {
    const pdf = await call<{ encoding: string; content: string }>('reports.save', { format: 'pdf', options: { sections: ['summary'] } });
    expect(pdf.encoding).toBe('base64');
    expect(Buffer.from(pdf.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('refuses an unknown format or redaction with invalid-input', async () => {
    await expect(call('reports.save', { format: 'docx', options: {} })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(call('reports.preview', { options: { redaction: 'hide' } })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('includes the project’s last provisioning cycle, not its dry runs', async () => {
    const before = await call<{ html: string }>('reports.preview', { options: {} });
    expect(before.html).not.toContain('191 created');
    await call('mockServer.start', {});
    await call('provisioning.plan', { cycle: 'initial', target: 'mock' });
    const finished = new Promise<void>((resolve) => {
      const stop = backend.events.subscribe((name, payload) => {
        if (name === 'provisioning.progress' && (payload as { status: string }).status !== 'running') {
          stop();
          resolve();
        }
      });
    });
    await call('provisioning.run', { cycle: 'initial', target: 'mock' });
    await finished;
    const after = await call<{ html: string }>('reports.preview', { options: {} });
    expect(after.html).toContain('Last provisioning run');
    expect(after.html).toMatch(/191<\/[a-z]+>\s*created|191 created/);
    await call('mockServer.stop', {});
  });
});
