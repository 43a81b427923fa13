import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Where test files live; a tier is told apart by the suffix before `.test.ts`. */
const PLACES = [
  'packages/*/src/**/',
  'services/*/src/**/',
  'services/*/test/**/',
  'infra/**/',
  'scripts/**/',
];
const files = (suffix: string) => PLACES.map((place) => `${place}*${suffix}.test.ts`);

/** The tiers that need real servers: they are found (or started) once per run by the global setup. */
const SERVER_TIERS = ['int', 'e2e', 'browser'] as const;

/** Every tier keeps the same limits. */
const limits = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Integration files each hold their own database and topics, so they may run side by side;
  // two workers match the two cores of the machines this runs on.
  maxWorkers: 2,
  // expect.poll waits for what a real server or browser shows eventually: its default second is
  // less than a page takes to change language on two cores busy with the other tier's systems
  // (a CI run failed on it). Only a failing poll waits this long.
  expect: { poll: { timeout: 15_000 } },
};

const projects: TestProjectInlineConfiguration[] = [
  {
    test: {
      name: 'unit',
      include: files(''),
      exclude: [...configDefaults.exclude, ...SERVER_TIERS.flatMap((tier) => files(`.${tier}`))],
      // No global setup: unit tests need no server, no Java and no Go, and run in seconds anywhere.
      ...limits,
    },
  },
  ...SERVER_TIERS.map((tier) => ({
    test: {
      name: tier,
      include: files(`.${tier}`),
      globalSetup: ['packages/testing/src/global-setup.ts'],
      // Consumers (and the systems the tests start) ask Kafka again every 500 ms when idle, not
      // every 5 s: stopping a consumer waits out its fetch in flight, and each file stops several.
      env: { KAFKA_MAX_WAIT_MS: '500' },
      ...limits,
    },
  })),
];

export default defineConfig({
  test: {
    // `vitest run` runs every tier; `vitest run --project unit` (and so on) runs one.
    projects,
    reporters: ['default'],
  },
});
