import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A problem+json answer from a service, with its field errors when it names them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body:
      | { title?: string; detail?: string; errors?: { path: string; message: string }[] }
      | undefined,
    what: string,
  ) {
    super(`${what}: ${status} ${body?.detail ?? body?.title ?? ''}`.trim());
  }
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The platform admin's credentials: MUTIRAO_ADMIN_EMAIL and MUTIRAO_ADMIN_PASSWORD when set,
 * otherwise the file the profiles service wrote on its first start in the embedded default.
 */
export function adminCredentials(env: NodeJS.ProcessEnv, repoRoot: string): Credentials {
  if (env.MUTIRAO_ADMIN_EMAIL && env.MUTIRAO_ADMIN_PASSWORD) {
    return { email: env.MUTIRAO_ADMIN_EMAIL, password: env.MUTIRAO_ADMIN_PASSWORD };
  }
  // The profiles service's own settings, when the admin was created with a given password.
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) return { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
  const file = join(env.MUTIRAO_DATA_DIR ?? join(repoRoot, '.data'), 'admin-credentials.json');
  if (!existsSync(file)) {
    throw new Error(
      `No admin credentials: set MUTIRAO_ADMIN_EMAIL and MUTIRAO_ADMIN_PASSWORD, or start the system once with npm start so that it writes ${file}.`,
    );
  }
  const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
  if (!c.email || !c.password) throw new Error(`${file} holds no email and password`);
  return { email: c.email, password: c.password };
}

/** Talks to a running system through the web server's proxy, as one signed-in user. */
export class Client {
  private token: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
  ) {}

  private async signIn(): Promise<string> {
    const res = await this.raw('POST', '/api/profiles/sessions', this.credentials, false);
    const token =
      (res as { token?: string; accessToken?: string }).token ??
      (res as { accessToken?: string }).accessToken;
    if (!token) throw new Error('sign-in answered without a token');
    this.token = token;
    return token;
  }

  private async raw(method: string, path: string, body: unknown, auth: boolean): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(auth && this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new Error(
        `Cannot reach Mutirão at ${this.baseUrl} (${(err as Error).message}). Is it running (npm start)? Set MUTIRAO_URL otherwise.`,
      );
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new ApiError(res.status, json as ApiError['body'], `${method} ${path}`);
    return json;
  }

  /** A call as the signed-in user; signs in again once when the short-lived token has expired. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.token) await this.signIn();
    try {
      return (await this.raw(method, path, body, true)) as T;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        await this.signIn();
        return (await this.raw(method, path, body, true)) as T;
      }
      throw err;
    }
  }
}

/** A one-line progress bar on a terminal; plain lines every 10% elsewhere (CI logs). */
export function progress(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  let done = 0;
  let lastTenth = -1;
  const tty = out.isTTY;
  return {
    tick(n = 1) {
      done += n;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${pct}%`);
        if (done === total) out.write('\n');
      } else if (Math.floor(pct / 10) !== lastTenth) {
        lastTenth = Math.floor(pct / 10);
        out.write(`${label}: ${done}/${total} (${pct}%)\n`);
      }
    },
  };
}
