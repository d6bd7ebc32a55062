/**
 * What an unquoted YAML scalar means to `kubectl`, and to YAML 1.2 readers. kubectl (through
 * `sigs.k8s.io/yaml`) reads YAML with go-yaml v2, whose rules are YAML 1.1's, more or less:
 * `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `017` is octal, `1_000` is a thousand. Editors,
 * `yq` and most other tools read YAML 1.2, where all of those are strings or decimals. Both of
 * eds's parsers resolve scalars with `kubectlScalar`, so eds reads what the API server receives;
 * `versionDependent` says when a YAML 1.2 reader would read something else.
 *
 * `kubectlScalar` follows go-yaml v2's `resolve()` (resolve.go) for untagged plain scalars, with
 * Go's `strconv` rules (Go 1.13+: `0o17`, `0b101`, `0x1F`, leading-zero octal). Timestamps stay
 * strings, as go-yaml v2 gives them when decoding into `interface{}` (none of them reads as a
 * number, so no check is needed); there are no sexagesimal
 * numbers (`1:20` is a string). NaN and infinities are numbers here; JSON cannot carry them, so
 * kubectl refuses them and so does eds's validation.
 */

import { Document, type ScalarTag } from 'yaml';

const STR_TAG = 'tag:yaml.org,2002:str';

const MAP = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(
    (s) => [s, true] as const,
  ),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (s) => [s, false] as const,
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map(
    (s) => [s, Number.POSITIVE_INFINITY] as const,
  ),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

/** go-yaml v2's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What `strconv.ParseFloat` accepts after a leading `.` (digits, `_` between digits, exponent). */
const DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
/** `strconv.ParseInt(s, 0, 64)`'s syntax, underscores already removed. */
const GO_INT =
  /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Decimal integers that a double holds exactly: no BigInt needed. */
const SMALL_DECIMAL = /^[-+]?[1-9][0-9]{0,14}$/;

function goInt(plain: string): number | undefined {
  if (SMALL_DECIMAL.test(plain)) return Number(plain);
  const m = GO_INT.exec(plain);
  if (m === null) return undefined;
  const [, sign, hex, oct, bin, zero, dec] = m;
  const value =
    hex !== undefined
      ? BigInt(`0x${hex}`)
      : oct !== undefined
        ? BigInt(`0o${oct}`)
        : bin !== undefined
          ? BigInt(`0b${bin}`)
          : zero !== undefined
            ? BigInt(zero.length > 1 ? `0o${zero.slice(1)}` : '0')
            : BigInt(dec ?? '0');
  const signed = sign === '-' ? -value : value;
  // ParseInt (int64), then ParseUint (no sign allowed); beyond both, not an integer.
  if (signed >= INT64_MIN && signed < -INT64_MIN) return Number(signed);
  if (sign === '' && signed <= UINT64_MAX) return Number(signed);
  return undefined;
}

/**
 * The first characters of every scalar that is not a string under one of the rules below
 * (go-yaml v2's resolve table, the core schema's null/true/false/numbers, YAML 1.1's types).
 */
const SPECIAL_FIRST = new Uint8Array(128);
for (const c of 'yYnNtTfFoO~+-.0123456789eE') SPECIAL_FIRST[c.charCodeAt(0)] = 1;

/** A string to every reader, known from its first character (most scalars in a claim). */
export const ordinary = (text: string): boolean => {
  const c = text.charCodeAt(0);
  return c >= 128 || SPECIAL_FIRST[c] === 0; // NaN (empty text) reads as undefined: not ordinary
};

/** The value kubectl reads for an unquoted, untagged scalar. */
export function kubectlScalar(text: string): unknown {
  if (ordinary(text)) return text;
  const fixed = MAP.get(text);
  if (fixed !== undefined || MAP.has(text)) return fixed;
  const first = text.charCodeAt(0);
  if (first === 0x2e /* . */) {
    return DOT_FLOAT.test(text) ? Number(text.replaceAll('_', '')) : text;
  }
  const digit = first >= 0x30 && first <= 0x39;
  if (!digit && first !== 0x2b /* + */ && first !== 0x2d /* - */) return text;
  const plain = text.replaceAll('_', '');
  const int = goInt(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = Number(plain);
    // ParseFloat fails on overflow (1e400), and go-yaml v2 then keeps the string.
    if (Number.isFinite(float)) return float;
  }
  return text;
}

const CORE_WORDS = new Map<string, unknown>([
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['true', 'True', 'TRUE'].map((w) => [w, true] as const),
  ...['false', 'False', 'FALSE'].map((w) => [w, false] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map(
    (w) => [w, Number.POSITIVE_INFINITY] as const,
  ),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, Number.NEGATIVE_INFINITY] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, Number.NaN] as const),
]);
const CORE_NUMBER =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$|^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2's core schema, for comparison (what the `yaml` package and most editors read). */
export function coreScalar(text: string): unknown {
  if (ordinary(text)) return text;
  const word = CORE_WORDS.get(text);
  if (word !== undefined || CORE_WORDS.has(text)) return word;
  if (!CORE_NUMBER.test(text)) return text;
  if (text.startsWith('0o')) return Number.parseInt(text.slice(2), 8);
  if (text.startsWith('0x')) return Number.parseInt(text.slice(2), 16);
  return Number(text);
}

/**
 * True when kubectl and a YAML 1.2 reader read this unquoted scalar differently; `kubectl` is
 * `kubectlScalar(text)`, when the caller has it.
 */
export function versionDependent(text: string, kubectl: unknown = kubectlScalar(text)): boolean {
  if (ordinary(text)) return false;
  const core = coreScalar(text);
  return kubectl !== core && !(Number.isNaN(kubectl) && Number.isNaN(core));
}

const kind = (v: unknown): string =>
  v === null
    ? 'null'
    : typeof v === 'string'
      ? `the string ${JSON.stringify(v)}`
      : typeof v === 'number' || typeof v === 'boolean'
        ? `${typeof v} ${String(v)}`
        : 'null';

/** The warning's message: both readings, and the fix (quote it). */
export function versionMessage(text: string): string {
  const k = kubectlScalar(text);
  return `${text} is read as ${kind(k)} by kubectl (YAML 1.1) but as ${kind(coreScalar(text))} by YAML 1.2 tools; quote it ("${text}") if you mean the string${
    typeof k === 'string' ? '' : `, or write ${JSON.stringify(k)} if you mean the ${typeof k}`
  }`;
}

/**
 * The YAML 1.1 implicit types as PyYAML resolves them (its resolver.py; the yaml.org/type float
 * pattern would also take `2.4.1`, which no reader turns into a number), which other 1.1 readers
 * apply beyond go-yaml's: sexagesimal numbers (`1:20` is 80), dates, `=` and `<<`.
 */
const YAML11 = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL)$/,
  /^[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
  /^(?:<<|=)$/,
];

/**
 * The `yaml` package's own YAML 1.1 schema, a reader with quirks of its own (`E5` and `.` are
 * NaN there): its implicit scalar tags, tried as it tries them (built on first use: only output
 * needs them).
 */
let yamlPackage11: ScalarTag[] | undefined;
const yamlPackage11Tags = (): ScalarTag[] =>
  (yamlPackage11 ??= new Document(null, { version: '1.1' }).schema.tags.filter(
    (t): t is ScalarTag =>
      t.default === true && 'test' in t && t.test instanceof RegExp && t.tag !== STR_TAG,
  ));

/**
 * True when a string written unquoted would be read back as the same string by kubectl, by YAML
 * 1.2 tools and by other YAML 1.1 readers; otherwise it must be quoted on output.
 */
export function plainIsSafe(text: string): boolean {
  if (ordinary(text)) return text !== '<<' && text !== '=';
  return (
    text !== '' &&
    kubectlScalar(text) === text &&
    coreScalar(text) === text &&
    !YAML11.some((r) => r.test(text)) &&
    !yamlPackage11Tags().some((t) => t.test?.test(text) === true)
  );
}
