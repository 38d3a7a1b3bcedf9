/**
 * Encodings and bit operations (Microsoft Learn "Reference for writing expressions for attribute mappings": BitAnd,
 * ConvertToBase64, ConvertToUTF8Hex). Pure TypeScript: no Buffer, no btoa.
 */
import { int64Arg, textOf } from '../coerce.ts';
import { NULL, numberValue, stringValue } from '../value.ts';
import { param, strict, type FunctionDef } from './types.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += BASE64[a >> 2]! + BASE64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : BASE64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : BASE64[c & 63]!;
  }
  return out;
}

/** "Unicode" in .NET: UTF-16 little-endian code units (FN example: "Hello world!" → SABlAGwA...) */
function utf16leBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes.push(unit & 0xff, unit >> 8);
  }
  return bytes;
}

/** UTF-8, with a lone surrogate encoded as U+FFFD as .NET's encoder does. */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export const encodingFunctions: FunctionDef[] = [
  {
    name: 'ConvertToBase64',
    family: 'encoding',
    description: 'Encodes the text as Base64 of its UTF-16LE ("Unicode") bytes, as .NET Encoding.Unicode does.',
    params: [param('source', 'string', 'the text to encode')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    examples: [{ expression: 'ConvertToBase64("Hello world!")', result: 'SABlAGwAbABvACAAdwBvAHIAbABkACEA' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        const text = textOf(source!, env);
        return text === null ? NULL : stringValue(base64(utf16leBytes(text)));
      }),
  },
  {
    name: 'ConvertToUTF8Hex',
    family: 'encoding',
    description: 'Encodes the text as upper-case hexadecimal of its UTF-8 bytes.',
    params: [param('source', 'string', 'the text to encode')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    examples: [{ expression: 'ConvertToUTF8Hex("Hello world!")', result: '48656C6C6F20776F726C6421' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        const text = textOf(source!, env);
        if (text === null) return NULL;
        let hex = '';
        for (const byte of utf8Bytes(text)) hex += (byte < 16 ? '0' : '') + byte.toString(16).toUpperCase();
        return stringValue(hex);
      }),
  },
  {
    name: 'BitAnd',
    family: 'encoding',
    description: 'Bitwise AND of two 64-bit integers, written in decimal or VB hex (&HF7). BitAnd([userAccountControl], 2) is 2 when the account is disabled.',
    params: [param('value1', 'number', 'an integer or &H hex literal'), param('value2', 'number', 'an integer or &H hex literal')],
    minArgs: 2,
    maxArgs: 2,
    returns: 'number',
    examples: [{ expression: 'BitAnd(&HF, &HF7)', result: '7' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([a, b], env) => {
        if (a!.kind === 'null' || b!.kind === 'null') return NULL;
        const x = int64Arg(a!, env, call, 0, 'value1');
        const y = int64Arg(b!, env, call, 1, 'value2');
        for (const [value, index] of [[x, 0], [y, 1]] as const) {
          if (value < INT64_MIN || value > INT64_MAX) call.fail('OUT_OF_RANGE', `BitAnd: ${value} does not fit in 64 bits`, index);
        }
        return numberValue(BigInt.asIntN(64, x & y));
      }),
  },
];
