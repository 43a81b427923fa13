/**
 * `npm start`: the embedded infrastructure (Kafka and FerretDB unless KAFKA_BROKERS and MONGO_URL
 * name servers of your own, Mailpit unless SMTP_HOST does), then the six services, each waited
 * for on `/readyz`. Ctrl-C stops the services and
 * then whatever infrastructure this run started. Once all are up, a service that dies is started
 * again (more than five deaths in a minute stop everything).
 *
 * `MATCHING_INSTANCES=N` (2 or more) starts N matching instances, named m1…mN, on MATCHING_PORT,
 * MATCHING_PORT+100, …; the web server proxies to m1, which routes reviews and answers to the
 * instance owning the need (docs/architecture.md, "Matching on several instances").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  adminCredentials,
  Client,
  demoOutcomes,
  generateDemo,
  importFile,
  waitForMatching,
} from '@mutirao/cli';
import { defaultOptions, down, embeddedServers, REPO_ROOT, up } from '../infra/scripts/infra';

interface ServiceSpec {
  name: string;
  /** Its folder under services/, when not its name (matching instances). */
  dir?: string;
  port: number;
  env: Record<string, string>;
}

/** How each service runs, from its folder: TypeScript through tsx, the telemetry hook first. */
/**
 * `--no-memory-reducer`: V8's memory reducer runs full collections once a process has gone quiet, to
 * give memory back; after a 100k import that was matching's 1 GB of garbage marked in the idle
 * minute after (1.4 s of a core) and exchange's (0.7 s), most of the idle system's CPU
 * (bench/README.md, "A whole import"). A server keeps its heap for the next burst instead; the
 * garbage goes with the next collection that allocation calls for.
 */
// tsx/esm: the services are ES modules, and tsx's CommonJS hook (plain `--import tsx`) resolves
// every `require` again, creating an Error for its stack: under OpenTelemetry's require hook a
// `require` of a module already loaded cost 30 µs (7 µs without it), and kafkajs requires its
// protocol modules for every request it sends (4–10 % of each service's CPU under load).
const SERVICE_NODE_ARGS = [
  '--no-memory-reducer',
  '--import',
  'tsx/esm',
  '--import',
  '@mutirao/telemetry/register',
  'src/main.ts',
];

const num = (v: string | undefined, fallback: number) => (v ? Number(v) : fallback);
const log = (line: string) => console.log(`[mutirao] ${line}`);

/** The variables of `names` that are set in `env`. */
const pick = (env: NodeJS.ProcessEnv, names: string[]): Record<string, string> =>
  Object.fromEntries(names.flatMap((n) => (env[n] !== undefined ? [[n, env[n] as string]] : [])));

/** One matching instance unnamed (the default), or n named ones: m1 … mn. */
function matchingInstances(n: number): (string | undefined)[] {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`MATCHING_INSTANCES must be a whole number ≥ 1, not ${n}`);
  return n === 1 ? [undefined] : Array.from({ length: n }, (_, i) => `m${i + 1}`);
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000}s`);
}

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const env = process.env;
  const embedded = embeddedServers(env);
  const infraOptions = defaultOptions(env);
  let startedInfra: Awaited<ReturnType<typeof up>>['started'] = [];
  let kafkaBrokers = env.KAFKA_BROKERS ?? '';
  let mongoUrl = env.MONGO_URL ?? '';
  // The SMTP server the services send mail to; the Mailpit where those mails are read, if ours.
  let smtp = { SMTP_HOST: env.SMTP_HOST ?? '', SMTP_PORT: env.SMTP_PORT ?? '' };
  let mailpitUrl: string | undefined;
  if (embedded.length > 0) {
    const r = await up(infraOptions, embedded);
    startedInfra = r.started;
    if (embedded.includes('kafka')) kafkaBrokers = r.kafkaBrokers;
    if (embedded.includes('ferretdb')) mongoUrl = r.mongoUrl;
    if (embedded.includes('mailpit')) {
      smtp = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(infraOptions.smtpPort) };
      mailpitUrl = r.mailpitUrl;
    }
  }
  if (!embedded.includes('kafka')) log(`using KAFKA_BROKERS=${kafkaBrokers} and MONGO_URL=${mongoUrl}`);
  if (!embedded.includes('mailpit')) log(`sending mail through SMTP_HOST=${smtp.SMTP_HOST}`);

  const host = '127.0.0.1';
  const ports = {
    profiles: num(env.PROFILES_PORT, 8081),
    exchange: num(env.EXCHANGE_PORT, 8082),
    matching: num(env.MATCHING_PORT, 8083),
    notifications: num(env.NOTIFICATIONS_PORT, 8084),
    followup: num(env.FOLLOWUP_PORT, 8085),
    web: num(env.WEB_PORT, 8080),
  };
  const common = {
    KAFKA_BROKERS: kafkaBrokers,
    MONGO_URL: mongoUrl,
    TOPIC_PREFIX: env.TOPIC_PREFIX ?? '',
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    MUTIRAO_DATA_DIR: infraOptions.dataDir,
    ...smtp,
  };
  // Exchange and matching verify tokens against the profiles service's keys (or, when JWKS_URL is
  // set, an OIDC provider's).
  const jwks = { JWKS_URL: env.JWKS_URL ?? `http://${host}:${ports.profiles}/.well-known/jwks.json` };
  const dbPrefix = env.MONGO_DB_PREFIX ?? 'mutirao';
  // Consumer groups follow the topic prefix, so that systems on one broker never share a group.
  const group = (service: string) => ({
    CONSUMER_GROUP: common.TOPIC_PREFIX ? `${common.TOPIC_PREFIX}-mutirao-${service}` : `mutirao-${service}`,
  });
  const services: ServiceSpec[] = [
    {
      name: 'profiles',
      port: ports.profiles,
      env: { ...common, ...group('profiles'), MONGO_DB: `${dbPrefix}-profiles` },
    },
    {
      name: 'exchange',
      port: ports.exchange,
      env: { ...common, ...jwks, ...group('exchange'), MONGO_DB: `${dbPrefix}-exchange` },
    },
    ...matchingInstances(num(env.MATCHING_INSTANCES, 1)).map((instance, i) => ({
      name: instance ? `matching-${instance}` : 'matching',
      dir: 'matching',
      port: ports.matching + 100 * i,
      env: {
        ...common,
        ...jwks,
        ...group('matching'),
        MONGO_DB: `${dbPrefix}-matching`,
        ...(instance ? { MATCHING_INSTANCE: instance } : {}),
      },
    })),
    {
      name: 'notifications',
      port: ports.notifications,
      env: {
        ...common,
        ...jwks,
        ...group('notifications'),
        MONGO_DB: `${dbPrefix}-notifications`,
        // Links in mails lead to the web app as this run serves it.
        WEB_URL:
          env.WEB_URL ??
          `http://${env.WEB_HOST && env.WEB_HOST !== '0.0.0.0' ? env.WEB_HOST : host}:${ports.web}`,
        // The SMTP server: the embedded Mailpit unless these say otherwise (production: a relay with TLS).
        ...pick(env, [
          'SMTP_HOST',
          'SMTP_PORT',
          'SMTP_USER',
          'SMTP_PASSWORD',
          'SMTP_SECURE',
          'SMTP_REQUIRE_TLS',
          'MAIL_FROM',
        ]),
      },
    },
    {
      name: 'followup',
      port: ports.followup,
      env: {
        ...common,
        ...jwks,
        ...group('followup'),
        MONGO_DB: `${dbPrefix}-followup`,
        // When reports fall due, the coordinators' grace, and who publishes the IATI export.
        ...pick(env, [
          'REPORT_PERIODS',
          'REPORT_GRACE_DAYS',
          'IATI_REPORTING_ORG_REF',
          'IATI_REPORTING_ORG_TYPE',
          'IATI_REPORTING_ORG_NAME',
        ]),
      },
    },
    {
      name: 'web',
      port: ports.web,
      env: {
        LOG_LEVEL: common.LOG_LEVEL,
        HOST: env.WEB_HOST ?? host,
        PROFILES_URL: `http://${host}:${ports.profiles}`,
        EXCHANGE_URL: `http://${host}:${ports.exchange}`,
        MATCHING_URL: `http://${host}:${ports.matching}`,
        NOTIFICATIONS_URL: `http://${host}:${ports.notifications}`,
        FOLLOWUP_URL: `http://${host}:${ports.followup}`,
      },
    },
  ];

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    // The web server first, so that no new request reaches a service while it stops; then the
    // services side by side. Each takes up to the Kafka consumers' long poll (5 s) to leave its
    // groups, and nothing one does while stopping depends on another (offsets, leases and outboxes
    // are in Kafka and the store): one after the other, stopping took 20 s on a quiet machine.
    const web = children.get('web');
    if (web) await stopChild(web);
    await Promise.all(
      [...children.entries()].filter(([name]) => name !== 'web').map(([, c]) => stopChild(c)),
    );
    if (startedInfra.length > 0 && env.MUTIRAO_KEEP_INFRA !== '1') await down(infraOptions, startedInfra);
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // node --import tsx rather than the tsx CLI: the CLI runs the service in a child process of its
  // own, which a signal to the CLI can leave behind. The telemetry hook is imported before the
  // service, so that OpenTelemetry can patch the modules it instruments (packages/telemetry).
  let running = false;
  const crashes: number[] = [];
  const launch = (s: (typeof services)[number]): void => {
    // MUTIRAO_NODE_ARGS: more options for every service's node, e.g. `--cpu-prof --cpu-prof-dir=DIR`
    // to profile them (NODE_OPTIONS refuses those).
    const extra = (env.MUTIRAO_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...extra, ...SERVICE_NODE_ARGS], {
      cwd: join(REPO_ROOT, 'services', s.dir ?? s.name),
      env: { ...env, ...s.env, PORT: String(s.port) },
      stdio: ['ignore', 'inherit', 'inherit'],
      // A group of its own: Ctrl-C in the terminal reaches only this script, which then stops the
      // services itself (otherwise each would get SIGINT and our SIGTERM, and stop hard).
      detached: true,
    });
    children.set(s.name, child);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      // Once everything has started, a service that dies is started again (its state is in the
      // store and on Kafka); one that keeps dying, or dies while starting, stops everything.
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && (crashes[0] as number) < now - 60_000) crashes.shift();
      if (running && crashes.length <= 5) {
        log(`${s.name} exited (${signal ?? code}); restarting it`);
        launch(s);
        return;
      }
      log(`${s.name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    });
  };
  try {
    for (const s of services) launch(s);
    await Promise.all(
      services.map(async (s) => {
        const child = children.get(s.name);
        if (child) await waitReady(`http://${host}:${s.port}/readyz`, child);
        log(`${s.name} ready on port ${s.port}`);
      }),
    );
  } catch (err) {
    log(`start failed: ${(err as Error).message}`);
    await stopAll(1);
    return;
  }
  running = true;
  const webUrl = `http://${host}:${ports.web}`;
  await offerDemo(webUrl, infraOptions.dataDir, process.argv.slice(2));
  if (mailpitUrl) log(`Mails the system sends are caught by Mailpit: read them at ${mailpitUrl}/`);
  log(`Mutirão is running: ${webUrl}/ (Ctrl-C stops everything this started)`);
}

/**
 * On an empty system, `--demo` loads the public sample and the generated demo exchange (300
 * organisations, 500 needs, 700 offers); without it, says how to.
 */
async function offerDemo(webUrl: string, dataDir: string, args: string[]): Promise<void> {
  let client: Client;
  try {
    client = new Client(webUrl, adminCredentials({ ...process.env, MUTIRAO_DATA_DIR: dataDir }, REPO_ROOT));
    const page = await client.call<{ items: unknown[] }>('GET', '/api/profiles/organisations?limit=1');
    if (page.items.length > 0) return;
  } catch (err) {
    log(`could not look at the exchange: ${(err as Error).message}`);
    return;
  }
  if (!args.includes('--demo')) {
    log('The exchange is empty. To try it with data: npm start -- --demo');
    log('  (or, while it runs: corepack pnpm mutirao import scenarios/sample.exchange.json)');
    return;
  }
  const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'sample.exchange.json'), 'utf8'));
  log('loading the public sample…');
  await importFile(client, sample);
  log('loading the demo exchange (300 organisations, 500 needs, 700 offers)…');
  await importFile(client, generateDemo());
  log('demo loaded; matching works through it in the background.');
  // Once matching has caught up, agree some partnerships and file their reports, for the follow-up
  // service, the impact page and the IATI export; in the background, so the system is usable now.
  void (async () => {
    await waitForMatching(client, 15 * 60_000);
    const s = await demoOutcomes(client, { log });
    log(`demo partnerships: ${s.agreed} agreed, ${s.reports} outcome reports (see #/impact)`);
  })().catch((err: unknown) => log(`demo partnerships not made: ${(err as Error).message}`));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
