/** Where a reader looks the rule's question up: the public reference that leaves it open (a heading or a function). */
function learn(place: string): string {
  return `Microsoft Learn "Reference for writing expressions for attribute mappings", ${place === 'Syntax overview' ? `"${place}"` : place}`;
}

/**
 * Rules the engine follows without a Microsoft source: neither Microsoft Learn "Reference for writing expressions for
 * attribute mappings" nor its examples settle them. When one of them decides a result, the result names it in
 * `unverifiedRules`, so the UI can say "this value depends on an unverified rule: IIF null condition". This is the one
 * list of those rules; each is verified by running the expression in a tenant's "Expression builder". `section` is the
 * rule's place in the project's expression notes; `source` is the public reference shown to admins.
 */
export const UNVERIFIED_RULES = {
  'IIF null condition': {
    section: '§3.3', source: learn('IIF'),
    summary: 'An IIF whose condition uses a null or empty attribute fails (strict) or skips guarded attributes (lenient)',
  },
  'Function name casing': { section: '§2.3 note 5', source: learn('Syntax overview'), summary: 'Function names are resolved case-insensitively' },
  'Lenient string escape': { section: '§2.3 note 3', source: learn('Syntax overview'), summary: 'A backslash before a character other than " or \\ is kept' },
  'Null comparison': { section: '§3.5', source: learn('Syntax overview'), summary: 'Outside IIF, null equals only "" or null; ordering comparisons with null are false' },
  'Multi-valued as text': { section: '§3.1', source: learn('Syntax overview'), summary: 'A function expecting one value uses the first value of a multi-valued input' },
  'Append null operand': { section: '§6 Append', source: learn('Append'), summary: 'A null operand of Append counts as ""' },
  'Join all empty': { section: '§6 Join', source: learn('Join'), summary: 'Join of only null or empty values gives "" rather than null' },
  'Coalesce empty string': { section: '§3.3', source: learn('Coalesce'), summary: 'Coalesce returns "" because only null is skipped' },
  'Count of single or null': { section: '§6 Count', source: learn('Count'), summary: 'Count of a single value is 1 and of null is 0' },
  'CBool null': { section: '§6 CBool', source: learn('CBool'), summary: 'CBool of null is False' },
  'CDate null': { section: '§6 CDate', source: learn('CDate'), summary: 'CDate of null is null' },
  'Not null': { section: '§6 Not', source: learn('Not'), summary: 'Not of null is True' },
  'IsString of non-text': { section: '§6 IsString', source: learn('IsString'), summary: 'IsString is False for Boolean, number, date and multi-valued values' },
  'One-to-one casing': { section: '§4', source: learn('ToUpper'), summary: 'A character whose case mapping has several characters (ß) is kept' },
  'PCase digit before word': { section: '§4', source: learn('PCase'), summary: 'A digit before a letter does not join the word ("3rd" → "3Rd")' },
  'NormalizeDiacritics unlisted letter': { section: '§6 NormalizeDiacritics', source: learn('NormalizeDiacritics'), summary: 'Latin letters outside the documented table stay unchanged' },
  'Split multi-character delimiter': { section: '§6 Split', source: learn('Split'), summary: 'A delimiter of several characters is one separator string' },
  'Split untrimmed values': { section: '§6 Split', source: learn('Split'), summary: 'Split keeps spaces around the values' },
  'Word consecutive delimiters': { section: '§6 Word', source: learn('Word'), summary: 'Runs of delimiters do not make empty words' },
  'DateDiff week boundaries': { section: '§5', source: learn('DateDiff'), summary: 'DateDiff "ww" counts Sundays crossed (VB rule)' },
  'Undocumented date interval': { section: '§5', source: learn('DateAdd'), summary: 'The VB intervals q, y and w are accepted' },
  'FormatDateTime offset conversion': { section: '§5', source: learn('FormatDateTime'), summary: 'A source with a UTC offset is converted to UTC before formatting' },
  'FormatDateTime styles spelling': { section: '§5', source: learn('FormatDateTime'), summary: 'dateTimeStyles is read as .NET member names separated by "," or "|"' },
  'FormatDateTime standard format': { section: '§5', source: learn('FormatDateTime'), summary: 'One-letter formats use the en-US standard patterns' },
  'Mid out of range': { section: '§6 Mid', source: learn('Mid'), summary: 'Mid with start < 1 or length < 0 is an error' },
  'InStr compare name as text': { section: '§6 InStr', source: learn('InStr'), summary: 'compareType given as a string such as "vbTextCompare" is accepted' },
  'SelectUniqueValue case-insensitive': { section: '§6 SelectUniqueValue', source: learn('SelectUniqueValue'), summary: 'Uniqueness in the target is checked ignoring case, as AD does' },
  'SelectUniqueValue without existing values': { section: '§7', source: learn('SelectUniqueValue'), summary: 'No existing target values were supplied, so the first rule is unique' },
  'SingleAppRoleAssignment with several roles': { section: '§6 SingleAppRoleAssignment', source: learn('SingleAppRoleAssignment'), summary: 'With several roles the first assignment is used' },
  'AppRoleAssignments undocumented': { section: '§6 AppRoleAssignments', source: learn('AppRoleAssignmentsComplex'), summary: 'AppRoleAssignments is evaluated like AppRoleAssignmentsComplex' },
  'Undocumented flow keyword': { section: '§6 Other names', source: learn('IgnoreFlowIfNullOrEmpty'), summary: 'IgnoreAttributeFlow / IgnoreObjectFlow drop the attribute' },
  'Replace mode E': { section: '§6 Replace', source: learn('Replace'), summary: 'Mode E returns the source when it has a value, else the group from the other attribute' },
  'Replace without replacement': { section: '§6 Replace', source: learn('Replace'), summary: 'A Replace with no replacementValue or template replaces with ""' },
  'Date argument null': { section: '§6 DateAdd/DateDiff', source: learn('DateAdd'), summary: 'A missing date argument is an error' },
  'Regex end of line': { section: '§4', source: learn('Replace'), summary: '$ matches only at the very end (.NET also matches before a final newline)' },
} as const satisfies Record<string, { section: string; source: string; summary: string }>;

export type UnverifiedRule = keyof typeof UNVERIFIED_RULES;
