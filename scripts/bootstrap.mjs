#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has Node (and, for the embedded infrastructure,
// Java with Maven and Go) but nothing of this project: brings pnpm through corepack at the version
// pinned in package.json, installs the workspace if needed, then runs the real command.
// Plain JavaScript with no dependencies, because nothing is installed yet when it runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. pnpm@10.34.9
const commands = { start: ['run', 'dev'], test: ['run', 'test:all'] };
const what = process.argv[2];
if (!commands[what]) {
  console.error('usage: node scripts/bootstrap.mjs start|test');
  process.exit(2);
}

const baseEnv = { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', COREPACK_ENABLE_STRICT: '0' };

function run(cmd, args, env, capture = false) {
  return spawnSync(cmd, args, { cwd: root, env, stdio: capture ? 'pipe' : 'inherit', encoding: 'utf8' });
}

/** Finds a way to run the pinned pnpm; returns [command, prefixArgs, env]. */
function findPnpm() {
  const tries = [
    ['corepack', ['pnpm'], baseEnv],
    // Some registry mirrors serve packages without the signatures corepack checks; the download
    // is still checked against the registry's integrity hash.
    ['corepack', ['pnpm'], { ...baseEnv, COREPACK_INTEGRITY_KEYS: '0' }],
    ['npx', ['--yes', pnpmSpec], baseEnv],
  ];
  const errors = [];
  for (const [cmd, prefix, env] of tries) {
    const r = run(cmd, [...prefix, '--version'], env, true);
    if (r.status === 0) return [cmd, prefix, env];
    errors.push(
      `${cmd} ${prefix.join(' ')}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
    );
  }
  console.error(`Could not get ${pnpmSpec}. Tried:\n  ${errors.join('\n  ')}`);
  process.exit(1);
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'pnpm-lock.yaml');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

/**
 * The browser tests drive Debian's Chromium (a browser download by a test tool cannot work on
 * machines that reach only package registries). Installed here when missing and we may.
 */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || run('apt-get', ['--version'], process.env, true).status !== 0) {
    console.warn(
      `[mutirao] ${path} is missing: install Debian's chromium (or set CHROMIUM_PATH) for the browser tests.`,
    );
    return;
  }
  console.log('[mutirao] installing chromium for the browser tests (apt-get)…');
  run('apt-get', ['update', '-qq'], process.env);
  const r = run('apt-get', ['install', '-y', '-qq', 'chromium'], {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
  });
  if (r.status !== 0)
    console.warn('[mutirao] apt-get could not install chromium; the browser tests will fail.');
}

const [cmd, prefix, env] = findPnpm();
if (what === 'test') ensureChromium();
if (needsInstall()) {
  console.log(`[mutirao] installing dependencies with ${pnpmSpec}…`);
  const r = run(cmd, [...prefix, 'install', '--frozen-lockfile'], env);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (what === 'start') {
  // The system's own starter, with no package manager in between: Ctrl-C reaches it and it stops
  // the services and the servers in order, and nothing reports the signal as a failed command.
  // This process only waits for it (a signal here would otherwise end it before the starter).
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
  const r = run(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...process.argv.slice(3)], env);
  process.exit(r.status ?? 0);
}
const r = run(cmd, [...prefix, ...commands[what], ...process.argv.slice(3)], env);
process.exit(r.status ?? (r.signal ? 1 : 0));
