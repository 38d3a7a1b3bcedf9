/**
 * The one table of functions. The checker, the compiler, the Monaco language service and the
 * reports all read it; each entry lives next to its implementation in functions/<family>.ts.
 */
import { appRoleFunctions } from './functions/approles.ts';
import { contextFunctions } from './functions/context.ts';
import { dateFunctions } from './functions/dates.ts';
import { encodingFunctions } from './functions/encoding.ts';
import { logicFunctions } from './functions/logic.ts';
import { multiValueFunctions } from './functions/multivalue.ts';
import { replaceFunctions } from './functions/replace.ts';
import { stringFunctions } from './functions/strings.ts';
import type { FunctionDef, FunctionInfo } from './functions/types.ts';

export type { FunctionExample, FunctionInfo, ParamInfo, ParamType } from './functions/types.ts';

const definitions: readonly FunctionDef[] = [
  ...stringFunctions,
  ...replaceFunctions,
  ...logicFunctions,
  ...multiValueFunctions,
  ...dateFunctions,
  ...encodingFunctions,
  ...contextFunctions,
  ...appRoleFunctions,
].sort((a, b) => a.name.localeCompare(b.name, 'en'));

/** Every function the engine knows, alphabetically, as completion and hover docs show them. */
export const functionCatalogue: readonly FunctionInfo[] = definitions;

const byLowerName = new Map(definitions.map((def) => [def.name.toLowerCase(), def]));

/** Resolves a function name case-insensitively (§2.3 note 5); `exactCase` is false when the casing differs. */
export function lookupFunction(name: string): { def: FunctionDef; exactCase: boolean } | undefined {
  const def = byLowerName.get(name.toLowerCase());
  return def ? { def, exactCase: def.name === name } : undefined;
}

/** Names from the Cloud Sync / AAD Connect dialect that app provisioning does not have (§6 "Other names"). */
export const CLOUD_SYNC_ONLY: readonly string[] = ['ConvertFromBase64', 'DNComponent', 'Error', 'StringFromSID', 'Trim', 'CRef', 'Contains'];

/** Bare words with a meaning (§2.2, §6 "Other names"). */
export const COMPARE_MODES: readonly string[] = ['vbBinaryCompare', 'vbTextCompare'];
export const FLOW_KEYWORDS: readonly string[] = ['IgnoreAttributeFlow', 'IgnoreObjectFlow'];
