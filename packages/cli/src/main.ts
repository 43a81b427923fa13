/**
 * The `mutirao` command line: `pnpm mutirao import FILE | wait | export [--out FILE] | demo [--out FILE] | outcomes [--count N]`.
 * It talks to a running system at MUTIRAO_URL (default http://127.0.0.1:8080) through the public
 * APIs, as the platform admin.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminCredentials, Client } from './client';
import { exportFile, InvalidFile, importFile, waitForMatching } from './commands';
import { generateDemo } from './demo';
import { demoOutcomes } from './outcomes';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const USAGE = `usage: mutirao <command>
  import FILE          validate FILE and bring it in (organisations, needs, offers), keyed by ref
  wait [--timeout S]   return once matching has processed everything published so far
  export [--out FILE]  write the current state, proposals included (default: standard output)
  demo [--out FILE]    write the generated demo exchange (300 organisations, 500 needs, 700 offers)
  outcomes [--count N] agree up to N (40) top-ranked proposals on the running system, a member of
                       each party accepting, and file every party's outcome reports (demo data for
                       the follow-up service, the impact page and the IATI export)
environment: MUTIRAO_URL (default http://127.0.0.1:8080), MUTIRAO_ADMIN_EMAIL, MUTIRAO_ADMIN_PASSWORD`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const client = () =>
  new Client(process.env.MUTIRAO_URL ?? 'http://127.0.0.1:8080', adminCredentials(process.env, REPO_ROOT));

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  // pnpm runs scripts from the workspace root; a relative path is the caller's.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  switch (command) {
    case 'import': {
      const file = rest[0];
      if (!file) throw new Error('import needs a FILE');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
      } catch (err) {
        throw new Error(`Cannot read ${file} as JSON: ${(err as Error).message}`);
      }
      const s = await importFile(client(), json);
      for (const [kind, c] of Object.entries(s)) {
        console.log(
          `${kind.padEnd(14)} created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}`,
        );
      }
      return 0;
    }
    case 'wait': {
      const timeout = Number(option(rest, '--timeout') ?? 120);
      const ms = await waitForMatching(client(), timeout * 1000);
      console.log(`matching has caught up (${(ms / 1000).toFixed(1)} s)`);
      return 0;
    }
    case 'export': {
      const out = option(rest, '--out');
      const text = `${JSON.stringify(await exportFile(client()), null, 2)}\n`;
      if (out) {
        writeFileSync(resolve(cwd, out), text);
        console.error(`written to ${out}`);
      } else process.stdout.write(text);
      return 0;
    }
    case 'demo': {
      const out = option(rest, '--out') ?? join(REPO_ROOT, '.data', 'demo.exchange.json');
      writeFileSync(resolve(cwd, out), `${JSON.stringify(generateDemo(), null, 2)}\n`);
      console.log(`demo exchange written to ${out}`);
      return 0;
    }
    case 'outcomes': {
      const count = Number(option(rest, '--count') ?? 40);
      const s = await demoOutcomes(client(), { count, log: (line) => console.error(line) });
      console.log(`approved ${s.approved}, agreed ${s.agreed}, reports filed ${s.reports}`);
      return 0;
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof InvalidFile) {
      console.error(err.message);
      for (const p of err.problems) console.error(`  ${p.path}: ${p.message}`);
      process.exit(1);
    }
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
