// Small statistics and formatting helpers.

export function median(values) {
  return quantile(values, 0.5);
}

/** The q-quantile (0..1) by linear interpolation; NaN for no values. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** `list` rotated by `round` (any integer): over rounds, each item goes first in turn. */
export function inTurn(list, round) {
  const k = ((round % list.length) + list.length) % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** 123456 → "123 456" */
export function int(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US").replace(/,/g, " ") : "–";
}

export function ms(x, digits = 2) {
  return Number.isFinite(x) ? `${x.toFixed(digits)} ms` : "–";
}

export function kb(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 1000).toFixed(1)} KB` : "–";
}

export function mib(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(2)} MiB` : "–";
}
