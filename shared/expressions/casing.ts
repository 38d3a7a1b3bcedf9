/**
 * .NET text rules the engine copies (.NET "TextInfo.ToTitleCase" and "Char.ToUpperInvariant" docs, which Microsoft
 * Learn "Reference for writing expressions for attribute mappings" rests on): one-to-one case mapping,
 * TextInfo.ToTitleCase and NormalizeDiacritics. Each function reports, through `note`, when it used a rule the spec
 * marks as inferred, so the caller can name it in the result's unverifiedRules.
 */

// every UTF-16 unit below U+0080
const isAscii = (text: string) => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};

type Mapper = (char: string) => string;

/**
 * .NET maps one character to one character: ToUpper("ß") stays "ß" where JavaScript gives "SS".
 * A code point whose JavaScript mapping has more than one code point is kept as it is.
 */
function mapEach(text: string, map: Mapper, onKept?: () => void): string {
  let out = '';
  for (const char of text) {
    const mapped = map(char);
    if (mapped.length === char.length || [...mapped].length === 1) out += mapped;
    else {
      out += char;
      onKept?.();
    }
  }
  return out;
}

export function toUpperInvariant(text: string, onKept?: () => void): string {
  if (isAscii(text)) return text.toUpperCase();
  return mapEach(text, (c) => c.toUpperCase(), onKept);
}

export function toLowerInvariant(text: string, onKept?: () => void): string {
  if (isAscii(text)) return text.toLowerCase();
  // per character, so Greek capital sigma is always σ (.NET has no final-sigma rule)
  return mapEach(text, (c) => c.toLowerCase(), onKept);
}

export function toUpperCulture(text: string, culture: string, onKept?: () => void): string {
  return mapEach(text, (c) => c.toLocaleUpperCase(culture), onKept);
}

export function toLowerCulture(text: string, culture: string, onKept?: () => void): string {
  return mapEach(text, (c) => c.toLocaleLowerCase(culture), onKept);
}

const cultureCache = new Map<string, string | null>();

/** The canonical tag of a culture the runtime knows (en-US, tr-TR ...), or null for an unknown one. */
export function resolveCulture(name: string): string | null {
  const cached = cultureCache.get(name);
  if (cached !== undefined) return cached;
  let resolved: string | null = null;
  try {
    const [canonical] = Intl.getCanonicalLocales(name);
    if (canonical && Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0) resolved = canonical;
  } catch {
    resolved = null; // a malformed tag is simply not a culture
  }
  cultureCache.set(name, resolved);
  return resolved;
}

const LETTER = /\p{L}/u;
// §4: characters that continue a word in .NET ToTitleCase: letters, marks, numbers, surrogates and
// private use, plus the apostrophe
const WORD_PART = /[\p{L}\p{M}\p{N}\p{Co}\p{Cs}']/u;
const DIGIT = /\p{N}/u;

/**
 * PCase without separators: lower-case everything, then .NET TextInfo.ToTitleCase (§4). A digit just
 * before a word start ("3rd" → "3Rd") follows the inferred rule and is reported through onDigitStart.
 */
export function titleCase(text: string, onDigitStart?: () => void, onKept?: () => void): string {
  const lower = toLowerInvariant(text, onKept);
  let out = '';
  let inWord = false;
  let previous = '';
  for (const char of lower) {
    if (inWord) {
      if (WORD_PART.test(char)) {
        out += char;
        previous = char;
        continue;
      }
      inWord = false;
    }
    if (LETTER.test(char)) {
      if (DIGIT.test(previous)) onDigitStart?.();
      out += toUpperInvariant(char, onKept);
      inWord = true;
    } else out += char;
    previous = char;
  }
  return out;
}

/** PCase with wordSeparators: only the given characters start a new word (§4, FN example "PINTO-DE'SILVA"). */
export function titleCaseWithSeparators(text: string, separators: string, onKept?: () => void): string {
  const lower = toLowerInvariant(text, onKept);
  const split = new Set(separators);
  let out = '';
  let startOfWord = true;
  for (const char of lower) {
    out += startOfWord ? toUpperInvariant(char, onKept) : char;
    startOfWord = split.has(char);
  }
  return out;
}

// FN NormalizeDiacritics table entries that are not "base letter + combining marks"
const SPECIAL_LETTERS: Record<string, string> = {
  æ: 'ae',
  ǣ: 'ae',
  Æ: 'AE',
  Ǣ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  İ: 'I',
  ǿ: 'oe',
  Ǿ: 'OE',
};
const COMBINING = /[\u0300-\u036f]/;
const LATIN = /\p{Script=Latin}/u;

/**
 * NormalizeDiacritics (FN table): the explicit multi-letter and stroke letters, then any Latin letter
 * whose canonical decomposition is an ASCII letter plus combining marks loses the marks. Latin letters
 * outside the table (đ, ð, þ, œ) stay as they are; onUnlisted reports them [?].
 */
export function normalizeDiacritics(text: string, onUnlisted?: () => void): string {
  if (isAscii(text)) return text;
  let out = '';
  const chars = [...text.normalize('NFC')];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const special = SPECIAL_LETTERS[char];
    let replacement: string | undefined = special;
    if (replacement === undefined) {
      const decomposed = char.normalize('NFD');
      const base = decomposed[0]!;
      if (decomposed.length > 1 && /[A-Za-z]/.test(base) && COMBINING.test(decomposed.slice(1)) && [...decomposed].slice(1).every((c) => COMBINING.test(c))) {
        replacement = base;
      }
    }
    if (replacement !== undefined) {
      out += replacement;
      // combining marks left after the letter (ā́ = ā + U+0301) belong to it and go too
      while (i + 1 < chars.length && COMBINING.test(chars[i + 1]!)) i++;
      continue;
    }
    if (/[A-Za-z]/.test(char)) {
      out += char;
      while (i + 1 < chars.length && COMBINING.test(chars[i + 1]!)) i++;
      continue;
    }
    if (!isAscii(char) && LATIN.test(char)) onUnlisted?.();
    out += char;
  }
  return out;
}
