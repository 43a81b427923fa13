import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A local file where the sender notes each mail handed over to the SMTP server (its end-of-data
 * dot written, in the same synchronous call), before the server's answer and the slower store
 * update, and each of those the server then refused or that was cut off (`!<id>`). A process
 * killed in between leaves the note: at the next start the mail is marked sent from here instead
 * of being sent again. A `write(2)` that returned survives the death of the process (the kernel
 * holds it); only a power cut before the page cache is flushed can lose it (docs/notifications.md,
 * "Exactly one mail").
 */
export class SentJournal {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Synchronous on purpose: nothing else runs between this line and the write it precedes. */
  record(id: string): void {
    appendFileSync(this.path, `${id}\n`);
  }

  /** The mail noted was not taken after all (refused after its dot, or its answer cut off). */
  recordFailed(id: string): void {
    appendFileSync(this.path, `!${id}\n`);
  }

  /** The mails noted and not failed since, in the order noted. */
  read(): string[] {
    if (!existsSync(this.path)) return [];
    const ids = new Set<string>();
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (line.startsWith('!')) ids.delete(line.slice(1));
      else if (line) ids.add(line);
    }
    return [...ids];
  }

  size(): number {
    return existsSync(this.path) ? statSync(this.path).size : 0;
  }

  /** Once every noted mail is marked sent in the store. */
  clear(): void {
    writeFileSync(this.path, '');
  }
}
