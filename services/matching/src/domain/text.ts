/**
 * Text similarity that is cheap enough to run on every candidate: accent folding, per-language stop
 * words, stems by truncation, hashed to integers and compared as sorted sets.
 *
 * Truncating to a fixed prefix is a crude stemmer, but it conflates the inflections of the four
 * working languages ("agroforestal", "agroforestales", "agroforestería") and many cognates across
 * them ("agroforestry"), which a per-language suffix stemmer would not.
 */

const STEM_LENGTH = 6;
const MIN_TOKEN_LENGTH = 3;

const STOP_WORDS_RAW: Record<'en' | 'fr' | 'es' | 'pt', string> = {
  en: `a about after all also an and any are as at be been but by can could do does for from had has have
    he her his how i if in into is it its more most my no not of on or other our ours out over own per
    she so some such than that the their them then there these they this those through to too under up
    us very was we were what when where which while who will with within would you your yours each
    both between until elsewhere offer offers need needs want looking seek seeks provide`,
  fr: `a au aux avec ce ces cet cette dans de des du elle elles en et est eux il ils je la le les leur
    leurs lui ma mais me meme mes moi mon ne nos notre nous ou par pas pour qu que qui sa se ses son
    sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre avoir sont ont plus
    tres entre sans sous afin dont chez aussi nos offre offrons cherchons`,
  es: `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
    ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha han hasta
    la las le les lo los mas me mi mis mucho muy nada ni no nos nosotros nuestra nuestras nuestro
    nuestros o os otra otros para pero poco por porque que quien se sea ser si sin sobre su sus
    tambien te tiene tienen todo todos tu tus un una uno unos y ya buscamos ofrecemos`,
  pt: `a ao aos as com como da das de do dos e ela elas ele eles em entre era essa esse esta este eu foi
    ha isso isto ja la lhe mais mas me mesmo meu minha muito na nao nas nem no nos nossa nossas
    nosso nossos num numa o os ou para pela pelas pelo pelos por qual quando que quem se sem ser seu
    sua suas seus so tambem te tem um uma umas uns voce procuramos oferecemos`,
};

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const STOP_WORDS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(STOP_WORDS_RAW).map(([lang, words]) => [lang, new Set(fold(words).split(/\s+/))]),
);
// A posting in another language (Swahili, Nepali…) still drops the words of all four working languages.
const ALL_STOP_WORDS: ReadonlySet<string> = new Set(Object.values(STOP_WORDS).flatMap((s) => [...s]));

/** Stems of the text, in order, duplicates kept. */
export function stems(text: string, language: string): string[] {
  const stop = STOP_WORDS[language] ?? ALL_STOP_WORDS;
  const out: string[] = [];
  for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < MIN_TOKEN_LENGTH || stop.has(word) || /^\d+$/.test(word)) continue;
    out.push(word.length > STEM_LENGTH ? word.slice(0, STEM_LENGTH) : word);
  }
  return out;
}

/** FNV-1a: a collision between two stems only blurs one similarity a little. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Each stem of a text, hashed, with the first word that gave it, in order. */
function wordsByStem(text: string, language: string): ReadonlyMap<number, string> {
  const stop = STOP_WORDS[language] ?? ALL_STOP_WORDS;
  const byStem = new Map<number, string>();
  for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < MIN_TOKEN_LENGTH || stop.has(word) || /^\d+$/.test(word)) continue;
    const stem = hash(word.length > STEM_LENGTH ? word.slice(0, STEM_LENGTH) : word);
    if (!byStem.has(stem)) byStem.set(stem, word);
  }
  return byStem;
}

/**
 * The words of the last text read (by `termSet` or `sharedWordsWith`): the explanations of one
 * need's proposals (three, or six texts for triads) all compare the same need text, which matching
 * the need has just read, so it is not read again for them.
 */
let last: { text: string; language: string; words: ReadonlyMap<number, string> } | undefined;

/**
 * The text as a sorted set of hashed stems: 4 bytes a stem instead of a string each. The words behind
 * the stems are kept for `sharedWordsWith`: the explanations of a new need's proposals name them,
 * and reading the need's text once more for that cost as much as reading it here.
 */
export function termSet(text: string, language: string): Uint32Array {
  const words = wordsByStem(text, language);
  last = { text, language, words };
  return new Uint32Array(words.keys()).sort();
}

/**
 * One side's terms, prepared once per need so that counting the terms an offer shares with it is
 * cheap: a 4096-bit filter answers "certainly not shared" for most terms with one load, and a small
 * open-addressing table settles the rest exactly.
 */
export class TermProbe {
  private readonly filter = new Int32Array(128);
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly hasZero: boolean;
  readonly size: number;

  constructor(terms: Uint32Array) {
    let capacity = 16;
    while (capacity < terms.length * 4) capacity *= 2;
    this.table = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = terms.length;
    let hasZero = false;
    for (const term of terms) {
      const v = term | 0;
      const word = (v >>> 5) & 127;
      this.filter[word] = (this.filter[word] as number) | (1 << (v & 31));
      // 0 marks an empty slot, so a term that hashes to 0 is remembered apart.
      if (v === 0) hasZero = true;
      else {
        let i = (v >>> 12) & this.mask;
        while (this.table[i] !== 0 && this.table[i] !== v) i = (i + 1) & this.mask;
        this.table[i] = v;
      }
    }
    this.hasZero = hasZero;
  }

  /** How many of `terms[start … start + count)` are among the probe's terms. */
  shared(terms: Uint32Array, start = 0, count = terms.length): number {
    const { filter, table, mask } = this;
    let shared = 0;
    for (let k = start; k < start + count; k++) {
      const v = (terms[k] as number) | 0;
      if ((((filter[(v >>> 5) & 127] as number) >>> (v & 31)) & 1) === 0) continue;
      if (v === 0) {
        if (this.hasZero) shared++;
        continue;
      }
      let i = (v >>> 12) & mask;
      let t = table[i] as number;
      while (t !== 0 && t !== v) {
        i = (i + 1) & mask;
        t = table[i] as number;
      }
      if (t === v) shared++;
    }
    return shared;
  }

  /** Cosine of the two binary term vectors, in 0–1. */
  cosine(terms: Uint32Array, start = 0, count = terms.length): number {
    if (this.size === 0 || count === 0) return 0;
    return this.shared(terms, start, count) / Math.sqrt(this.size * count);
  }
}

export function cosine(a: Uint32Array, b: Uint32Array): number {
  return new TermProbe(a).cosine(b);
}

/** Whether a sorted term set holds the term. */
function holds(terms: Uint32Array, term: number): boolean {
  let lo = 0;
  let hi = terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = terms[mid] as number;
    if (t === term) return true;
    if (t < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Words of `a` whose stems are among `terms` (a `termSet`), for the explanation: the very terms the
 * text part of the score counted, so words and score always agree.
 */
export function sharedWordsWith(a: string, aLang: string, terms: Uint32Array): string[] {
  if (last?.text !== a || last.language !== aLang)
    last = { text: a, language: aLang, words: wordsByStem(a, aLang) };
  const shared: string[] = [];
  // forEach, not for…of: the loop made a [stem, word] array per entry.
  last.words.forEach((word, stem) => {
    if (holds(terms, stem)) shared.push(word);
  });
  return shared;
}

/** Words of `a` whose stems also occur in `b`. */
export function sharedWords(a: string, aLang: string, b: string, bLang: string): string[] {
  return sharedWordsWith(a, aLang, termSet(b, bLang));
}
