/**
 * The two protocol modes. Entra-compatible accepts every PATCH shape of Microsoft Learn "Known issues and resolutions
 * with SCIM 2.0 protocol compliance"; strict RFC rejects the value-level quirks the way a strict vendor would (string
 * booleans, path-less dotted keys, add to a filtered path that does not exist, member removal by value array, a
 * plain-string manager, capitalised op names) so an admin can reproduce a vendor's 400 locally.
 */
import type { FilterSyntaxOptions } from '../../../shared/scim/filter.ts';
import type { PatchDialect } from '../../../shared/scim/patch.ts';
import type { ValueDialect } from '../../../shared/scim/schemas-values.ts';

export type MockServerMode = 'entra' | 'strict';

interface ModeDialect {
  values: ValueDialect;
  patch: PatchDialect;
  filter: FilterSyntaxOptions;
}

export const MODE_DIALECTS: Record<MockServerMode, ModeDialect> = {
  entra: {
    values: { stringBooleans: true, plainStringManager: true, lenientMultiValued: true },
    patch: {
      dottedPathlessKeys: true,
      createOnFilteredPath: true,
      memberRemovalByValue: 'remove-listed',
      filterOnSingleValued: true,
      emptyStringClears: true,
      requirePatchOpSchema: false,
      opNamesAnyCase: true,
    },
    filter: { entraForms: true },
  },
  strict: {
    values: { stringBooleans: false, plainStringManager: false, lenientMultiValued: false },
    patch: {
      dottedPathlessKeys: false,
      createOnFilteredPath: false,
      memberRemovalByValue: 'reject',
      filterOnSingleValued: false,
      emptyStringClears: false,
      requirePatchOpSchema: true,
      opNamesAnyCase: false,
    },
    filter: { entraForms: false },
  },
};
