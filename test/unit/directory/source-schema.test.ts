import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MANAGER_EXPAND,
  directoryExtensionAttribute,
  findUserSourceAttribute,
  graphUserSelect,
  groupSourceAttributes,
  isDirectoryExtensionName,
  userSourceAttributes,
} from '../../../shared/directory/source-schema.ts';

interface CatalogueRow {
  sourceName: string;
  type: string;
  multiValued?: boolean;
  graphV1: string | null;
  select: string;
  returnedByDefaultInGraph?: boolean;
}
interface Catalogue {
  userSourceAttributes: CatalogueRow[];
  groupSourceAttributes: CatalogueRow[];
  graphQueries: { purpose: string; request: string }[];
}

const fixturePath = fileURLToPath(new URL('../../fixtures/directory/graph-source-attributes.json', import.meta.url));
const sharedPath = fileURLToPath(new URL('../../../../shared/data/graph-source-attributes.json', import.meta.url));

function checkAgainst(catalogue: Catalogue): void {
  const fixedRows = catalogue.userSourceAttributes.filter((row) => !row.sourceName.startsWith('extension_'));
  expect(userSourceAttributes.map((a) => a.sourceName)).toEqual(fixedRows.map((row) => row.sourceName));
  for (const row of fixedRows) {
    const ours = findUserSourceAttribute(row.sourceName)!;
    expect(ours.type, row.sourceName).toBe(row.type);
    expect(ours.multiValued, row.sourceName).toBe(row.multiValued ?? false);
    expect(ours.select ?? '', row.sourceName).toBe(row.select);
    expect(ours.returnedByDefault, row.sourceName).toBe(row.returnedByDefaultInGraph ?? false);
    // The JSON writes navigation and computed rows as prose ("manager (navigation)"); compare real paths only.
    if (row.graphV1 !== null && !row.graphV1.includes(' '))
      expect(ours.graphProperty, row.sourceName).toBe(row.graphV1);
  }
  expect(groupSourceAttributes.map((a) => a.sourceName)).toEqual(catalogue.groupSourceAttributes.map((row) => row.sourceName));

  const readUsers = catalogue.graphQueries.find((q) => q.purpose === 'read users')!;
  const selectInJson = /\$select=([^&]+)/
    .exec(readUsers.request)![1]!
    .split(',')
    .filter((s) => !s.startsWith('<'));
  expect(graphUserSelect()).toEqual(selectInJson);
  expect(readUsers.request).toContain(`$expand=${MANAGER_EXPAND}`);
}

describe('source attribute catalogue', () => {
  it('matches the copied catalogue in test/fixtures row by row, and the $select of its "read users" query', () => {
    checkAgainst(JSON.parse(readFileSync(fixturePath, 'utf8')) as Catalogue);
  });

  it.skipIf(!existsSync(sharedPath))(
    'matches ../shared/data/graph-source-attributes.json (skipped: ../shared is absent)',
    () => {
      checkAgainst(JSON.parse(readFileSync(sharedPath, 'utf8')) as Catalogue);
    },
  );

  it('names extensionAttribute1 to extensionAttribute15, all read from onPremisesExtensionAttributes', () => {
    const names = userSourceAttributes
      .filter((a) => a.select === 'onPremisesExtensionAttributes')
      .map((a) => a.sourceName);
    expect(names).toEqual(Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`));
  });

  it('recognises directory extension names only with a 32-hex-digit app id', () => {
    expect(isDirectoryExtensionName('extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_costCenter')).toBe(true);
    expect(isDirectoryExtensionName('extension_4f6c2a1d-9e8b-47c3-a5d0-e1f2a3b4c5d6_costCenter')).toBe(false);
    expect(isDirectoryExtensionName('extensionAttribute1')).toBe(false);
  });

  it('appends the tenant directory extensions to $select after the fixed properties, once each', () => {
    const name = 'extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_costCenter';
    const select = graphUserSelect([name, name, 'notAnExtension']);
    expect(select.at(-1)).toBe(name);
    expect(select.filter((s) => s === name)).toHaveLength(1);
    expect(select).not.toContain('notAnExtension');
  });

  it('types a declared directory extension from its extensionProperty and marks multi-valued ones', () => {
    const single = directoryExtensionAttribute({
      name: 'extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_badge',
      dataType: 'Integer',
    });
    expect(single).toMatchObject({
      type: 'Integer',
      multiValued: false,
      availability: 'tenant',
      select: single.sourceName,
    });
    const multi = findUserSourceAttribute('extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_skills', [
      { name: 'extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_skills', dataType: 'String', isMultiValued: true },
    ]);
    expect(multi).toMatchObject({ type: 'String', multiValued: true });
    expect(multi!.notes).toMatch(/cannot be used/);
  });
});
