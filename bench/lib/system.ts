import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { defaultOptions, REPO_ROOT, up } from '../../infra/scripts/infra';

/** What the benches share: the system they start and the figures of its processes. */

export const log = (line: string) => console.log(`[bench] ${line}`);

export interface Proc {
  name: string;
  pid: number;
}

/** The system's processes: the embedded servers (pid files) and the services (by their folder). */
export function systemProcesses(): Proc[] {
  const procs: Proc[] = [];
  const run = join(defaultOptions().dataDir, 'run');
  for (const s of ['kafka', 'ferretdb', 'mailpit']) {
    const file = join(run, `${s}.pid`);
    if (existsSync(file)) procs.push({ name: s, pid: Number(readFileSync(file, 'utf8').trim()) });
  }
  const counts = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const m = /\/services\/(profiles|exchange|matching|notifications|followup|web)$/.exec(cwd);
      if (!cwd.startsWith(`${REPO_ROOT}/`)) continue;
      if (m?.[1] && cmd.includes('src/main.ts')) {
        // Matching instances by their name (MATCHING_INSTANCE), which a restart keeps.
        const instance = /(?:^|\0)MATCHING_INSTANCE=([^\0]+)/.exec(
          readFileSync(`/proc/${entry}/environ`, 'utf8'),
        )?.[1];
        const n = (counts.get(m[1]) ?? 0) + 1;
        counts.set(m[1], n);
        procs.push({
          name: instance ? `${m[1]}-${instance}` : n === 1 ? m[1] : `${m[1]}#${n}`,
          pid: Number(entry),
        });
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return procs;
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM). */
export function status(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used (user + system). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU (% of one core) and RSS (MiB) of every process of the system over a stretch of time. A
 * process started meanwhile (a service started again) counts under the same name from its start.
 */
export class ProcessSampler {
  private readonly procs = new Map<number, { name: string; cpu0: number; cpu: number; peak: number }>();
  private t0 = performance.now();
  private timer: NodeJS.Timeout | undefined;

  private sample(first: boolean): void {
    for (const p of systemProcesses()) {
      const cpu = cpuSeconds(p.pid);
      const rss = status(p.pid, 'VmRSS') ?? 0;
      const known = this.procs.get(p.pid);
      if (known) {
        known.cpu = Math.max(known.cpu, cpu);
        known.peak = Math.max(known.peak, rss);
      } else this.procs.set(p.pid, { name: p.name, cpu0: first ? cpu : 0, cpu, peak: rss });
    }
  }

  begin(): void {
    this.procs.clear();
    this.t0 = performance.now();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 500);
  }

  /** By process name: CPU used since `begin` and the highest RSS seen. */
  end(): { name: string; cpu: number; rss: number }[] {
    clearInterval(this.timer);
    this.sample(false);
    const seconds = (performance.now() - this.t0) / 1000;
    const byName = new Map<string, { name: string; cpu: number; rss: number }>();
    for (const p of this.procs.values()) {
      const entry = byName.get(p.name) ?? { name: p.name, cpu: 0, rss: 0 };
      entry.cpu += ((p.cpu - p.cpu0) / seconds) * 100;
      entry.rss = Math.max(entry.rss, p.peak);
      byName.set(p.name, entry);
    }
    return [...byName.values()];
  }
}

export function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void) {
  const child = spawn(cmd, argv, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const feed = (d: Buffer) => {
    out += d;
    if (onLine) for (const line of d.toString().split(/\r|\n/)) if (line.trim()) onLine(line);
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return { child, done, output: () => out };
}

/** The q-quantile (0..1) of a sample, by rank. */
export const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

export interface RunningSystem {
  url: string;
  /** Environment for the command line against it (MUTIRAO_URL and the admin's credentials). */
  env: NodeJS.ProcessEnv;
  kafkaBrokers: string;
  mongoUrl: string;
  /** Databases' and topics' prefix ('' for a system the bench did not start). */
  prefix: string;
  stop(): Promise<void>;
}

/**
 * The system at MUTIRAO_URL as it is, or one started by `scripts/start.ts` on the embedded servers
 * (or KAFKA_BROKERS/MONGO_URL) with databases and topics of its own, removed by `stop`.
 */
export async function startSystem(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningSystem> {
  const url = process.env.MUTIRAO_URL ?? `http://127.0.0.1:${process.env.WEB_PORT ?? 8080}`;
  const external = Boolean(process.env.KAFKA_BROKERS && process.env.MONGO_URL);
  if (process.env.MUTIRAO_URL) {
    log(`using the system at ${url}`);
    return {
      url,
      env: { ...process.env },
      kafkaBrokers: process.env.KAFKA_BROKERS ?? `127.0.0.1:${defaultOptions().kafkaPort}`,
      mongoUrl: process.env.MONGO_URL ?? `mongodb://127.0.0.1:${defaultOptions().mongoPort}`,
      prefix: process.env.TOPIC_PREFIX ?? '',
      stop: async () => undefined,
    };
  }
  const infra = external
    ? { kafkaBrokers: process.env.KAFKA_BROKERS as string, mongoUrl: process.env.MONGO_URL as string }
    : await up(defaultOptions());
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  // Every line the system prints, with LOG_LEVEL=info (say) to follow what it did.
  const logFile = process.env.BENCH_SYSTEM_LOG;
  const admin = { email: 'bench-admin@mutirao.test', password: `pw-${randomBytes(8).toString('hex')}` };
  const dataDir = mkdtempSync(join(tmpdir(), 'mutirao-bench-'));
  const s = run(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts'],
    {
      ...process.env,
      ...extraEnv,
      KAFKA_BROKERS: infra.kafkaBrokers,
      MONGO_URL: infra.mongoUrl,
      MONGO_DB_PREFIX: prefix,
      TOPIC_PREFIX: prefix,
      MUTIRAO_DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    (line) => {
      if (logFile) appendFileSync(logFile, `${line}\n`);
      if (/error|exited|restart/i.test(line)) console.log(`[system] ${line}`);
    },
  );
  const t0 = Date.now();
  while (!s.output().includes('Mutirão is running')) {
    if (s.child.exitCode !== null) throw new Error(`the system did not start:\n${s.output()}`);
    if (Date.now() - t0 > 180_000) throw new Error('the system did not start within 180 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`system started in ${((Date.now() - t0) / 1000).toFixed(1)} s (databases and topics ${prefix}*)`);
  const stop = async (): Promise<void> => {
    s.child.kill('SIGINT');
    await s.done;
    await removeData(infra, prefix);
    log(`system stopped; databases and topics ${prefix}* removed`);
  };
  return {
    url,
    env: {
      ...process.env,
      MUTIRAO_URL: url,
      MUTIRAO_ADMIN_EMAIL: admin.email,
      MUTIRAO_ADMIN_PASSWORD: admin.password,
    },
    kafkaBrokers: infra.kafkaBrokers,
    mongoUrl: infra.mongoUrl,
    prefix,
    stop,
  };
}

async function removeData(infra: { kafkaBrokers: string; mongoUrl: string }, prefix: string): Promise<void> {
  const mongo = new MongoClient(infra.mongoUrl);
  await mongo.connect();
  const { databases } = await mongo.db('admin').admin().listDatabases();
  for (const d of databases) if (d.name.startsWith(prefix)) await mongo.db(d.name).dropDatabase();
  await mongo.close();
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await admin.disconnect();
}

export type { ChildProcess };
export { REPO_ROOT };
