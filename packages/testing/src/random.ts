import { randomInt } from 'node:crypto';
import { mulberry32 } from '@mutirao/kernel';

/**
 * A seeded generator in place of `Math.random` (mulberry32, from @mutirao/kernel), so that a test
 * that draws at random can print its seed and be run again with it.
 */
export const seededRandom = mulberry32;
export { mulberry32 };

/** A test's seed: the environment variable `variable` when set (to replay a failure), else a fresh one. */
export function testSeed(variable: string): number {
  const given = process.env[variable];
  if (given === undefined || given === '') return randomInt(2 ** 32);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`${variable} must be an integer from 0 to 4294967295, got "${given}"`);
  return seed;
}
