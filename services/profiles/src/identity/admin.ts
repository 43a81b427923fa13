import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uuidv7 } from '@mutirao/contracts';
import type { Logger } from '@mutirao/telemetry';
import type { AccountStore } from '../store/accounts';
import { createPerson } from '../usecases/people';
import { hashPassword, randomPassword } from './passwords';

export const CREDENTIALS_FILE = 'admin-credentials.json';

export interface AdminOptions {
  accounts: AccountStore;
  /** The person topic, where the admin is published like every account. */
  topic: string;
  email: string;
  /** ADMIN_PASSWORD: used as given, and nothing is written. */
  password?: string;
  dataDir: string;
  now: () => Date;
  logger: Logger;
}

/**
 * Creates the platform admin on first start. Without ADMIN_PASSWORD the password is random and
 * written once to `<dataDir>/admin-credentials.json` (mode 0600) for the CLI and the operator; an
 * existing file is never overwritten, and if the database was reset its password is reused.
 */
export async function ensureAdmin(o: AdminOptions): Promise<'created' | 'exists'> {
  const email = o.email.toLowerCase();
  if (await o.accounts.exists(email)) return 'exists';
  const file = join(o.dataDir, CREDENTIALS_FILE);
  const previous = o.password === undefined ? await readCredentials(file, email) : undefined;
  if (previous === null)
    throw new Error(`${file} exists but is not for ${email}: remove it, or set ADMIN_PASSWORD`);
  const password = o.password ?? previous ?? randomPassword();
  const created = await createPerson(o, {
    id: uuidv7(o.now().getTime()),
    email,
    name: 'Platform admin',
    passwordHash: await hashPassword(password),
    roles: ['admin'],
    regions: [],
    createdAt: o.now(),
  });
  if (!created) return 'exists'; // another instance was faster
  if (o.password === undefined && previous === undefined) {
    await mkdir(o.dataDir, { recursive: true });
    // 'wx': fails rather than overwrite a file someone else wrote.
    await writeFile(file, `${JSON.stringify({ email, password }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    o.logger.info({ file }, 'platform admin created; credentials written once');
  } else {
    o.logger.info({ email }, 'platform admin created');
  }
  return 'created';
}

/** The password in an existing file for this email; undefined when there is no file; null when unusable. */
async function readCredentials(file: string, email: string): Promise<string | undefined | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const c = JSON.parse(text) as { email?: unknown; password?: unknown };
    return c.email === email && typeof c.password === 'string' ? c.password : null;
  } catch {
    return null;
  }
}
