import type { NeedType } from '@mutirao/contracts';

/** Small helpers that turn codes into the words of an explanation. */

const NEED_TYPE_WORDS: Record<NeedType, string> = {
  'market-access': 'market access',
  technology: 'technology',
  financing: 'financing',
  'capacity-building': 'capacity building',
  'knowledge-exchange': 'knowledge exchange',
  'supply-chain': 'supply-chain integration',
};

export function needTypeWords(type: NeedType): string {
  return NEED_TYPE_WORDS[type];
}

const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function money(value: number, currency: string): string {
  return `${numbers.format(value)} ${currency}`;
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export function day(iso: string): string {
  return iso.slice(0, 10);
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
