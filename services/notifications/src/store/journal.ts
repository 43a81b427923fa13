import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A local file where the sender notes each mail the SMTP server accepted, in the same tick as the
 * server's answer and before the slower store update. A process killed between the two leaves the
 * note: at the next start the mail is marked sent from here instead of being sent again. A
 * `write(2)` that returned survives the death of the process (the kernel holds it); only a power
 * cut before the page cache is flushed can lose it (docs/notifications.md, "Exactly once").
 */
export class SentJournal {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Synchronous on purpose: nothing else runs between the server's answer and this line. */
  record(id: string): void {
    appendFileSync(this.path, `${id}\n`);
  }

  read(): string[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8').split('\n').filter(Boolean);
  }

  size(): number {
    return existsSync(this.path) ? statSync(this.path).size : 0;
  }

  /** Once every noted mail is marked sent in the store. */
  clear(): void {
    writeFileSync(this.path, '');
  }
}
