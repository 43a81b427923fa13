import { randomInt } from 'node:crypto';

/**
 * A seeded generator in place of `Math.random` (mulberry32: small, fast and good enough for
 * tests), so that a test that draws at random can print its seed and be run again with it.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A test's seed: the environment variable `variable` when set (to replay a failure), else a fresh one. */
export function testSeed(variable: string): number {
  const given = process.env[variable];
  if (given === undefined || given === '') return randomInt(2 ** 32);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`${variable} must be an integer from 0 to 4294967295, got "${given}"`);
  return seed;
}
