/**
 * Regenerates `data/generated/*.json` from the source files in `data/`.
 * Run from the repository root: `npx tsx packages/reference-data/scripts/convert.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildAll, serialise } from '../src/build';

const dataDir = new URL('../data/', import.meta.url);
const generated = buildAll((path) => readFileSync(new URL(path, dataDir), 'utf8'));
for (const [path, data] of Object.entries(generated)) {
  writeFileSync(new URL(path, dataDir), serialise(data));
  console.log(`wrote data/${path}`);
}
