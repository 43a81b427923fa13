import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SentJournal } from './journal';

describe('the sent journal', () => {
  it('gives the mails handed over and not failed since, and nothing once cleared', () => {
    const j = new SentJournal(join(mkdtempSync(join(tmpdir(), 'journal-')), 'sub', 'sent.log'));
    expect(j.read()).toEqual([]);
    j.record('a');
    j.record('b');
    j.recordFailed('a');
    j.record('c');
    expect(j.read()).toEqual(['b', 'c']);
    // Handed over again after its failure (the retry): it counts again.
    j.record('a');
    expect(j.read()).toEqual(['b', 'c', 'a']);
    j.clear();
    expect(j.read()).toEqual([]);
    expect(j.size()).toBe(0);
  });
});
