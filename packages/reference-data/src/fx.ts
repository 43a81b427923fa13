import { currency } from './codelists';
import { lazy, readData } from './lazy';
import { FxFile } from './schemas';

const data = lazy(() => {
  const file = readData('fx-usd.json', FxFile);
  return { asOf: file.asOf, unitsPerUsd: new Map(Object.entries(file.unitsPerUsd)) };
});

/**
 * Converts an amount with approximate reference rates (see `fxAsOf()`), good enough to rank offers
 * and to apply a tolerance to amount ranges, never for accounting. Undefined when either currency
 * has no rate; an amount in a known currency converts to itself without one.
 */
export function convert(value: number, from: string, to: string): number | undefined {
  const { unitsPerUsd } = data();
  if (from === to) return unitsPerUsd.has(from) || currency(from) ? value : undefined;
  const fromRate = unitsPerUsd.get(from);
  const toRate = unitsPerUsd.get(to);
  if (fromRate === undefined || toRate === undefined) return undefined;
  return (value / fromRate) * toRate;
}

/** Units of the currency for one US dollar, or undefined when the package has no rate for it. */
export function unitsPerUsd(code: string): number | undefined {
  return data().unitsPerUsd.get(code);
}

/** The date (YYYY-MM-DD) the reference rates approximate. */
export function fxAsOf(): string {
  return data().asOf;
}
