/**
 * The embedded infrastructure: Apache Kafka 3.9.1 (one KRaft node) from its Maven Central jars,
 * FerretDB v1.24.2 on SQLite and Mailpit v1.33.1 (SMTP server catching every mail, with a web UI
 * and an API to read them) built from the Go module proxy, all on loopback, no Docker.
 *
 * The first `up` downloads and builds into a cache shared by every clone on the machine
 * (MUTIRAO_CACHE, default ~/.cache/mutirao); later runs start in seconds. Data, logs and pid files
 * live in the clone's git-ignored data folder (MUTIRAO_DATA_DIR, default <repo>/.data).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

const INFRA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(INFRA_DIR, '..');
const KAFKA_VERSION = '3.9.1';
const FERRETDB_VERSION = 'v1.24.2';
const MAILPIT_VERSION = 'v1.33.1';

export interface InfraOptions {
  kafkaPort: number;
  kafkaControllerPort: number;
  mongoPort: number;
  /** Mailpit's SMTP port (SMTP_PORT). */
  smtpPort: number;
  /** Mailpit's web UI and API port (MAILPIT_PORT). */
  mailpitPort: number;
  dataDir: string;
  cacheDir: string;
  /** JVM heap options of the broker. */
  kafkaHeap: string;
  /** SQLite's synchronous setting under FerretDB: `normal` (default) or `full`. */
  ferretdbSynchronous: 'normal' | 'full';
  /** An address for FerretDB's Go profiler (FERRETDB_PPROF, e.g. 127.0.0.1:6060); none by default. */
  ferretdbPprof?: string;
  log: (line: string) => void;
}

export function defaultOptions(env: NodeJS.ProcessEnv = process.env): InfraOptions {
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new Error(`${name} must be a TCP port, got "${raw}"`);
    return n;
  };
  return {
    kafkaPort: port('KAFKA_PORT', 9092),
    kafkaControllerPort: port('KAFKA_CONTROLLER_PORT', 9093),
    mongoPort: port('MONGO_PORT', 27017),
    smtpPort: port('SMTP_PORT', 1025),
    mailpitPort: port('MAILPIT_PORT', 8025),
    dataDir: resolve(env.MUTIRAO_DATA_DIR ?? join(REPO_ROOT, '.data')),
    cacheDir: resolve(env.MUTIRAO_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mutirao')),
    kafkaHeap: env.KAFKA_HEAP_OPTS ?? '-Xmx512m -Xms128m',
    ferretdbSynchronous: env.FERRETDB_SYNCHRONOUS === 'full' ? 'full' : 'normal',
    ...(env.FERRETDB_PPROF ? { ferretdbPprof: env.FERRETDB_PPROF } : {}),
    log: (line) => console.log(`[infra] ${line}`),
  };
}

export const kafkaBrokersOf = (o: InfraOptions): string => `127.0.0.1:${o.kafkaPort}`;
export const mongoUrlOf = (o: InfraOptions): string => `mongodb://127.0.0.1:${o.mongoPort}`;
/** The embedded Mailpit's SMTP server: any user name and password, or none, is accepted. */
export const smtpUrlOf = (o: InfraOptions): string => `smtp://127.0.0.1:${o.smtpPort}`;
/** The embedded Mailpit's web UI and API (`/api/v1/…`), where the mails sent to it are read. */
export const mailpitUrlOf = (o: InfraOptions): string => `http://127.0.0.1:${o.mailpitPort}`;

export type Server = 'kafka' | 'ferretdb' | 'mailpit';
export const SERVERS: readonly Server[] = ['kafka', 'ferretdb', 'mailpit'];

/**
 * The embedded servers a run needs, given its environment: none for Kafka and FerretDB when
 * KAFKA_BROKERS and MONGO_URL both name servers of your own, no Mailpit when SMTP_HOST names an
 * SMTP server of your own.
 */
export function embeddedServers(env: NodeJS.ProcessEnv = process.env): Server[] {
  return SERVERS.filter((s) => (s === 'mailpit' ? !env.SMTP_HOST : !(env.KAFKA_BROKERS && env.MONGO_URL)));
}

// ---------------------------------------------------------------------------------------------
// Prerequisites and the build cache

function hasCommand(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

function requireTools(tools: { cmd: string; args: string[]; why: string }[]): void {
  const missing = tools.filter((t) => !hasCommand(t.cmd, t.args));
  if (missing.length > 0) {
    const lines = missing.map((t) => `  - ${t.cmd}: ${t.why}`).join('\n');
    throw new Error(
      `The embedded infrastructure needs tools that are not on this machine:\n${lines}\n` +
        'Install them, or point Mutirão at servers of your own with KAFKA_BROKERS and MONGO_URL, ' +
        'and SMTP_HOST (see README, "Infrastructure modes").',
    );
  }
}

const JAVA = { cmd: 'java', args: ['-version'], why: 'Java 17 runs the Kafka broker' };
const MAVEN = {
  cmd: 'mvn',
  args: ['-v'],
  why: 'Maven downloads the Kafka 3.9.1 jars from Maven Central (first run only)',
};
const GIT = { cmd: 'git', args: ['--version'], why: 'git applies the FerretDB patch (first run only)' };
const GO = {
  cmd: 'go',
  args: ['version'],
  why: 'Go builds FerretDB v1.24.2 and Mailpit v1.33.1 from the Go module proxy (first run only)',
};
const NPM = {
  cmd: 'npm',
  args: ['--version'],
  why: "npm installs what bundles Mailpit's web UI (first run only)",
};

function fileHash(...files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

/** Copies Kafka and its runtime dependencies into the cache once; returns the folder of jars. */
export function ensureKafkaLibs(o: InfraOptions): string {
  const pom = join(INFRA_DIR, 'kafka', 'pom.xml');
  const libs = join(o.cacheDir, `kafka-${KAFKA_VERSION}-${fileHash(pom)}`, 'libs');
  if (existsSync(join(libs, '.complete'))) return libs;
  requireTools([JAVA, MAVEN]);
  o.log(`downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central (first run only)…`);
  const tmp = `${libs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('mvn', ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(dirname(libs), { recursive: true });
  renameSync(tmp, libs);
  return libs;
}

/** The patch applied to FerretDB's module before it is built (see infra/ferretdb/go.mod). */
export const FERRETDB_PATCH = join(INFRA_DIR, 'ferretdb', `ferretdb-${FERRETDB_VERSION}.patch`);

/**
 * Copies FerretDB's module as the Go module proxy serves it into `infra/ferretdb/ferretdb-patched`
 * (git-ignored) and applies the patch there, for the `replace` directive of infra/ferretdb/go.mod.
 */
function preparePatchedFerretdb(src: string): void {
  const listed = execFileSync(
    'go',
    ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`],
    // Outside any module, so that infra/ferretdb's replace directive does not apply to the download.
    { cwd: tmpdir(), env: { ...process.env, GOFLAGS: '-mod=mod' }, encoding: 'utf8' },
  );
  const pristine = (JSON.parse(listed) as { Dir?: string }).Dir;
  if (!pristine) throw new Error(`go mod download gave no folder for FerretDB ${FERRETDB_VERSION}`);
  const target = join(src, 'ferretdb-patched');
  rmSync(target, { recursive: true, force: true });
  // The module cache is read-only: copied files are made writable so the patch can change them.
  cpSync(pristine, target, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', target]);
  // From the clone's root with --directory: inside a git work tree, `git apply` takes paths from
  // the top of the tree and silently skips the rest.
  execFileSync(
    'git',
    ['apply', '--whitespace=nowarn', `--directory=${relative(REPO_ROOT, target)}`, FERRETDB_PATCH],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (!existsSync(join(target, 'internal', 'backends', 'sqlite', 'pushdown.go')))
    throw new Error(`${FERRETDB_PATCH} did not apply to FerretDB ${FERRETDB_VERSION} in ${target}`);
}

/**
 * Builds the FerretDB wrapper with the patched module once; returns the path of the binary. Its
 * folder is named by a hash of the wrapper and the patch, so a changed patch is always rebuilt.
 */
export function ensureFerretdb(o: InfraOptions): string {
  const src = join(INFRA_DIR, 'ferretdb');
  const key = fileHash(join(src, 'go.mod'), join(src, 'go.sum'), join(src, 'main.go'), FERRETDB_PATCH);
  const bin = join(o.cacheDir, `ferretdb-${FERRETDB_VERSION}-patched-${key}`, 'mutirao-ferretdb');
  if (existsSync(bin)) return bin;
  requireTools([GO, GIT]);
  o.log(
    `building FerretDB ${FERRETDB_VERSION} (patched) from the Go module proxy (first run only, a few minutes)…`,
  );
  preparePatchedFerretdb(src);
  mkdirSync(dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  // -checklinkname=0: FerretDB's dependencies use go:linkname, which newer Go linkers refuse.
  execFileSync('go', ['build', '-buildvcs=false', '-trimpath', '-ldflags=-checklinkname=0', '-o', tmp, '.'], {
    cwd: src,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  renameSync(tmp, bin);
  return bin;
}

const MAILPIT_DIR = join(INFRA_DIR, 'mailpit');

/**
 * Bundles Mailpit's web UI into `src/server/ui/dist` (the module has its sources, not the bundle):
 * npm ci of infra/mailpit/ui.package.json with its lock, then infra/mailpit/build-ui.mjs. Install
 * scripts are skipped: esbuild finds its binary through its optional platform package, and sass
 * runs as JavaScript. The lock was made with `npm install --package-lock-only --legacy-peer-deps`.
 */
function buildMailpitUi(src: string): void {
  requireTools([NPM]);
  cpSync(join(MAILPIT_DIR, 'ui.package.json'), join(src, 'package.json'));
  cpSync(join(MAILPIT_DIR, 'ui.package-lock.json'), join(src, 'package-lock.json'));
  cpSync(join(MAILPIT_DIR, 'build-ui.mjs'), join(src, 'build-ui.mjs'));
  // Some of the bundler's dependencies declare Node 22 and run on 20: not strict about engines,
  // whatever the caller's npm settings. No peers installed: the sass plugin's optional native
  // compiler (sass-embedded) is not used, and one of its platform packages is not on the registry.
  const args = [
    'ci',
    '--ignore-scripts',
    '--legacy-peer-deps',
    '--engine-strict=false',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
  ];
  execFileSync('npm', args, { cwd: src, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, ['build-ui.mjs'], { cwd: src, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(join(src, 'server', 'ui', 'dist', 'app.js')))
    throw new Error(`build-ui.mjs wrote no server/ui/dist/app.js in ${src}`);
}

/** The Mailpit binary each cache folder gave this process. */
const mailpitBuilt = new Map<string, string>();

/**
 * Builds Mailpit once from the module the Go proxy serves, with its web UI bundled in; returns
 * the path of the binary. Its folder is named by a hash of the UI build's inputs. Pure Go
 * (SQLite through modernc.org/sqlite), so CGO_ENABLED=0. Should the UI not build (npm missing, or
 * a package the registry no longer serves), Mailpit is built without it in a folder of its own:
 * SMTP and the API work the same, and the UI's page at / stays blank; the next start tries the UI
 * again.
 */
export function ensureMailpit(o: InfraOptions): string {
  // A build without the UI is tried again by the next process, not by each call of this one.
  const built = mailpitBuilt.get(o.cacheDir);
  if (built && existsSync(built)) return built;
  const key = fileHash(
    join(MAILPIT_DIR, 'ui.package.json'),
    join(MAILPIT_DIR, 'ui.package-lock.json'),
    join(MAILPIT_DIR, 'build-ui.mjs'),
  );
  const bin = join(o.cacheDir, `mailpit-${MAILPIT_VERSION}-${key}`, 'mailpit');
  if (existsSync(bin)) return bin;
  requireTools([GO]);
  o.log(`building Mailpit ${MAILPIT_VERSION} from the Go module proxy (first run only, about a minute)…`);
  const listed = execFileSync(
    'go',
    ['mod', 'download', '-json', `github.com/axllent/mailpit@${MAILPIT_VERSION}`],
    {
      cwd: tmpdir(),
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
    },
  );
  const pristine = (JSON.parse(listed) as { Dir?: string }).Dir;
  if (!pristine) throw new Error(`go mod download gave no folder for Mailpit ${MAILPIT_VERSION}`);
  // A writable copy (the module cache is read-only) that the UI bundle is added to.
  const src = join(o.cacheDir, `mailpit-${MAILPIT_VERSION}-src.tmp-${process.pid}`);
  rmSync(src, { recursive: true, force: true });
  cpSync(pristine, src, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', src]);
  let target = bin;
  try {
    buildMailpitUi(src);
  } catch (err) {
    target = join(o.cacheDir, `mailpit-${MAILPIT_VERSION}-no-ui`, 'mailpit');
    o.log(
      `Mailpit's web UI did not build (${(err as Error).message.split('\n')[0]}); ` +
        'building Mailpit without it: SMTP and the API work, the page at / stays blank',
    );
  }
  try {
    if (!existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      const tmp = `${target}.tmp-${process.pid}`;
      execFileSync(
        'go',
        [
          'build',
          '-buildvcs=false',
          '-trimpath',
          `-ldflags=-s -w -X github.com/axllent/mailpit/config.Version=${MAILPIT_VERSION}`,
          '-o',
          tmp,
          '.',
        ],
        {
          cwd: src,
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, CGO_ENABLED: '0', GOWORK: 'off' },
        },
      );
      renameSync(tmp, target);
    }
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  mailpitBuilt.set(o.cacheDir, target);
  return target;
}

/** The Schemathesis release the contract tests run (from PyPI). */
export const SCHEMATHESIS_VERSION = '4.32.5';
const PYTHON = { cmd: 'python3', args: ['--version'], why: 'Python 3 runs Schemathesis, the contract tests' };

/**
 * Installs Schemathesis from PyPI into a virtual environment in the cache once; returns the path
 * of its `st` command.
 */
export function ensureSchemathesis(o: InfraOptions): string {
  const home = join(o.cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = join(home, 'venv', 'bin', 'st');
  if (existsSync(join(home, '.complete'))) return st;
  requireTools([PYTHON]);
  o.log(`installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI (first run only)…`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  execFileSync('python3', ['-m', 'venv', join(home, 'venv')], { stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync(
    join(home, 'venv', 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  writeFileSync(join(home, '.complete'), new Date().toISOString());
  return st;
}

// ---------------------------------------------------------------------------------------------
// Processes

const runDir = (o: InfraOptions) => join(o.dataDir, 'run');
const logDir = (o: InfraOptions) => join(o.dataDir, 'logs');
const pidFile = (o: InfraOptions, s: Server) => join(runDir(o), `${s}.pid`);
export const logFile = (o: InfraOptions, s: Server) => join(logDir(o), `${s}.log`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(o: InfraOptions, s: Server): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(o, s), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  } catch {
    // no pid file: not started by us
  }
  return undefined;
}

function startDetached(o: InfraOptions, s: Server, cmd: string, args: string[], cwd: string): number {
  mkdirSync(runDir(o), { recursive: true });
  mkdirSync(logDir(o), { recursive: true });
  const fd = openSync(logFile(o, s), 'a');
  // Detached, in its own process group: Ctrl-C on the terminal does not reach it, so the
  // starter stops the servers in order after the services.
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${s} (${cmd})`);
  child.unref();
  writeFileSync(pidFile(o, s), String(child.pid));
  return child.pid;
}

function kafkaProperties(o: InfraOptions, logDirs: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${o.kafkaControllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.kafkaPort},CONTROLLER://127.0.0.1:${o.kafkaControllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${logDirs}`,
    'num.partitions=3',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=6',
    // One node: no point waiting for more members before the first rebalance.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    'log.retention.hours=168',
    // Idle costs: the controller writes a no-op record to the metadata log every 500 ms by default,
    // and the high watermarks are checkpointed every 5 s; with one node neither needs to be that often.
    'metadata.max.idle.interval.ms=10000',
    'replica.high.watermark.checkpoint.interval.ms=30000',
    // Each request-handler and network thread wakes several times a second to look for work: on
    // two cores, a few of each serve as much as the defaults (8 and 3) and cost less when idle.
    'num.io.threads=2',
    'num.network.threads=2',
    'background.threads=2',
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka.server.BrokerServer=INFO',
  '',
].join('\n');

function startKafka(o: InfraOptions): number {
  const libs = ensureKafkaLibs(o);
  requireTools([JAVA]);
  const home = join(o.dataDir, 'kafka');
  const dataDir = join(home, 'data');
  mkdirSync(dataDir, { recursive: true });
  const props = join(home, 'server.properties');
  writeFileSync(props, kafkaProperties(o, dataDir));
  const log4j = join(home, 'log4j.properties');
  writeFileSync(log4j, LOG4J);
  const cp = `${libs}/*`;
  const log4jOpt = `-Dlog4j.configuration=file:${log4j}`;
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    o.log('formatting Kafka storage (once)…');
    execFileSync(
      'java',
      ['-cp', cp, log4jOpt, 'kafka.tools.StorageTool', 'format', '-t', randomUUID(), '-c', props, '-g'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const heap = o.kafkaHeap.split(/\s+/).filter(Boolean);
  return startDetached(
    o,
    'kafka',
    'java',
    [...heap, '-XX:+UseG1GC', '-Djava.awt.headless=true', log4jOpt, '-cp', cp, 'kafka.Kafka', props],
    home,
  );
}

function startFerretdb(o: InfraOptions): number {
  const bin = ensureFerretdb(o);
  const dir = join(o.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  return startDetached(
    o,
    'ferretdb',
    bin,
    [
      '-listen',
      `127.0.0.1:${o.mongoPort}`,
      '-dir',
      dir,
      '-synchronous',
      o.ferretdbSynchronous,
      ...(o.ferretdbPprof ? ['-pprof', o.ferretdbPprof] : []),
    ],
    dir,
  );
}

function startMailpit(o: InfraOptions): number {
  const bin = ensureMailpit(o);
  const dir = join(o.dataDir, 'mailpit');
  mkdirSync(dir, { recursive: true });
  return startDetached(
    o,
    'mailpit',
    bin,
    [
      '--listen',
      `127.0.0.1:${o.mailpitPort}`,
      '--smtp',
      `127.0.0.1:${o.smtpPort}`,
      '--database',
      join(dir, 'mailpit.db'),
      // Clients with any user name and password, or none, over plain SMTP: a development catcher.
      '--smtp-auth-accept-any',
      '--smtp-auth-allow-insecure',
      // Nothing beyond loopback: no look-up of Mailpit's latest release (which /api/v1/info would
      // otherwise wait for), no reverse DNS of each SMTP client.
      '--disable-version-check',
      '--smtp-disable-rdns',
    ],
    dir,
  );
}

// ---------------------------------------------------------------------------------------------
// Readiness, spoken in each protocol

export async function kafkaAnswers(brokers: string, timeoutMs = 2000): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'mutirao-infra-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    // A metadata request: answered only once the broker has joined its KRaft quorum.
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function mongoAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    const r = await client.db('admin').command({ ping: 1 });
    return r.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** An SMTP server greets with a 220 line; this reads it and says QUIT. */
export function smtpAnswers(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let greeting = '';
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      if (ok) socket.end('QUIT\r\n');
      else socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('data', (chunk) => {
      greeting += chunk.toString('latin1');
      if (greeting.includes('\n')) done(greeting.startsWith('220'));
    });
  });
}

/** Mailpit answers once its API gives its version and its SMTP server greets. */
export async function mailpitAnswers(url: string, smtpPort: number, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/info`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    const info = (await res.json()) as { Version?: unknown };
    if (typeof info.Version !== 'string') return false;
  } catch {
    return false;
  }
  return smtpAnswers('127.0.0.1', smtpPort, timeoutMs);
}

const answers = (o: InfraOptions, s: Server): Promise<boolean> =>
  s === 'kafka'
    ? kafkaAnswers(kafkaBrokersOf(o))
    : s === 'ferretdb'
      ? mongoAnswers(mongoUrlOf(o))
      : mailpitAnswers(mailpitUrlOf(o), o.smtpPort);

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitReady(o: InfraOptions, s: Server, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(o, s)) return;
    if (!isAlive(pid)) {
      throw new Error(`${s} exited during start-up. Last lines of ${logFile(o, s)}:\n${tail(logFile(o, s))}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${s} did not answer within ${timeoutMs / 1000}s. Last lines of ${logFile(o, s)}:\n${tail(logFile(o, s))}`,
  );
}

// ---------------------------------------------------------------------------------------------
// up / down / status

export interface UpResult {
  kafkaBrokers: string;
  mongoUrl: string;
  /** The embedded Mailpit's SMTP server (`smtp://127.0.0.1:<SMTP_PORT>`). */
  smtpUrl: string;
  /** The embedded Mailpit's web UI and API. */
  mailpitUrl: string;
  /** The servers this call started (empty when everything was already running). */
  started: Server[];
}

/**
 * A FerretDB this data folder started from another build (an unpatched one, or an older patch) is
 * stopped, so that the current build takes over its data: the patch changes queries only, and the
 * SQLite files stay as they were.
 */
async function stopStaleFerretdb(o: InfraOptions): Promise<void> {
  const pid = readPid(o, 'ferretdb');
  if (!pid) return;
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return; // not Linux, or not ours to inspect
  }
  const current = ensureFerretdb(o);
  if (exe === current) return;
  o.log(`ferretdb (pid ${pid}) runs another build (${exe}); restarting it with ${current}`);
  await down(o, ['ferretdb']);
}

/** Starts the embedded servers (`only` of them) that do not answer yet, and waits for them. */
export async function up(
  o: InfraOptions = defaultOptions(),
  only: readonly Server[] = SERVERS,
): Promise<UpResult> {
  const toStart: Server[] = [];
  const pending: Promise<void>[] = [];
  for (const s of SERVERS.filter((server) => only.includes(server))) {
    if (s === 'ferretdb') await stopStaleFerretdb(o);
    if (await answers(o, s)) {
      const pid = readPid(o, s);
      o.log(`${s} already answers on its port${pid ? ` (pid ${pid})` : ' (started elsewhere)'}`);
      continue;
    }
    const running = readPid(o, s);
    if (running) {
      o.log(`${s} (pid ${running}) runs but does not answer yet; waiting for it`);
      pending.push(waitReady(o, s, running, 90_000));
      continue;
    }
    toStart.push(s);
  }
  // Download and build first (synchronous, minutes on a first run), so that no readiness clock
  // is ticking while a build blocks the event loop.
  if (toStart.includes('kafka')) ensureKafkaLibs(o);
  if (toStart.includes('ferretdb')) ensureFerretdb(o);
  if (toStart.includes('mailpit')) ensureMailpit(o);
  for (const s of toStart) {
    const t0 = Date.now();
    const pid = s === 'kafka' ? startKafka(o) : s === 'ferretdb' ? startFerretdb(o) : startMailpit(o);
    pending.push(
      waitReady(o, s, pid, s === 'kafka' ? 90_000 : 30_000).then(() =>
        o.log(`${s} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (pid ${pid}, log ${logFile(o, s)})`),
      ),
    );
  }
  await Promise.all(pending);
  return {
    kafkaBrokers: kafkaBrokersOf(o),
    mongoUrl: mongoUrlOf(o),
    smtpUrl: smtpUrlOf(o),
    mailpitUrl: mailpitUrlOf(o),
    started: toStart,
  };
}

export async function down(
  o: InfraOptions = defaultOptions(),
  only: readonly Server[] = SERVERS,
): Promise<void> {
  await Promise.all(
    only.map(async (s) => {
      const pid = readPid(o, s);
      if (!pid) {
        o.log(`${s} is not running (nothing started by this folder)`);
        rmSync(pidFile(o, s), { force: true });
        return;
      }
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      if (isAlive(pid)) {
        o.log(`${s} (pid ${pid}) did not stop in 30s; killing it`);
        process.kill(pid, 'SIGKILL');
      }
      rmSync(pidFile(o, s), { force: true });
      o.log(`${s} stopped`);
    }),
  );
}

export interface ServerStatus {
  server: Server;
  address: string;
  answers: boolean;
  pid?: number;
  /** Resident memory now and at its peak (VmHWM), in MiB, read from /proc. */
  rssMiB?: number;
  peakRssMiB?: number;
}

function memoryOf(pid: number): { rssMiB?: number; peakRssMiB?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m?.[1] ? Math.round(Number(m[1]) / 1024) : undefined;
    };
    return { rssMiB: kb('VmRSS'), peakRssMiB: kb('VmHWM') };
  } catch {
    return {};
  }
}

export async function status(o: InfraOptions = defaultOptions()): Promise<ServerStatus[]> {
  return Promise.all(
    SERVERS.map(async (s) => {
      const pid = readPid(o, s);
      return {
        server: s,
        address:
          s === 'kafka'
            ? kafkaBrokersOf(o)
            : s === 'ferretdb'
              ? mongoUrlOf(o)
              : `${smtpUrlOf(o)} + ${mailpitUrlOf(o)}`,
        answers: await answers(o, s),
        ...(pid ? { pid, ...memoryOf(pid) } : {}),
      };
    }),
  );
}
