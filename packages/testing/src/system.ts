import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@mutirao/infra';
import { eventually, type TestEnv } from './env';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningSystem {
  webUrl: string;
  ports: {
    web: number;
    profiles: number;
    exchange: number;
    matching: number;
    notifications: number;
    followup: number;
  };
  admin: { email: string; password: string };
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** Ctrl-C, as a person would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The whole system as `npm start` runs it (scripts/start.ts), on free ports, against this test
 * file's database names and topic prefix, with a known admin password.
 */
export async function startSystem(env: TestEnv, extra: Record<string, string> = {}): Promise<RunningSystem> {
  const [web, profiles, exchange, matching, notifications, followup] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'mutirao-system-'));
  const admin = { email: 'admin@mutirao.test', password: `pw-${env.unique('admin')}` };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      MONGO_URL: env.mongoUrl,
      // The run's SMTP server: the system starts no Mailpit of its own.
      SMTP_HOST: env.smtp.host,
      SMTP_PORT: String(env.smtp.port),
      MAILPIT_URL: env.mailpitUrl,
      MONGO_DB_PREFIX: env.dbName,
      TOPIC_PREFIX: env.topicPrefix,
      WEB_PORT: String(web),
      PROFILES_PORT: String(profiles),
      EXCHANGE_PORT: String(exchange),
      MATCHING_PORT: String(matching),
      NOTIFICATIONS_PORT: String(notifications),
      FOLLOWUP_PORT: String(followup),
      MUTIRAO_DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const system: RunningSystem = {
    webUrl: `http://127.0.0.1:${web}`,
    ports: { web, profiles, exchange, matching, notifications, followup },
    admin,
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  try {
    await eventually(() => output.includes('Mutirão is running') || child.exitCode !== null, {
      timeoutMs: 120_000,
      what: 'the system to start',
    });
    if (child.exitCode !== null) throw new Error(`the system exited at start:\n${output}`);
  } catch (err) {
    await system.stop();
    throw err;
  }
  return system;
}
