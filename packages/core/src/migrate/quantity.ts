/**
 * Kubernetes resource quantities as numbers, so that `1` equals `1000m` and `1Gi` equals
 * `1024Mi`. The grammar is Kubernetes' own: a decimal number, then a binary suffix (Ki…Ei), a
 * decimal suffix (n, u, m, k, M…E) or an exponent (e3, E-2).
 */
const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]?))$/;

/** The value in base units (cores, bytes), or `undefined` when it is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (m === null) return undefined;
  const [, digits = '', exponent, binary, decimal] = m;
  const n = Number(digits);
  if (exponent !== undefined) return n * 10 ** Number(exponent.slice(1));
  if (binary !== undefined) return n * (BINARY[binary] ?? 1);
  return n * (DECIMAL[decimal ?? ''] ?? 1);
}

/** Equal as quantities (within rounding), or equal as written when either is not one. */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return a === b;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y), 1e-9);
}
