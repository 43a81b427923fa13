/**
 * The telemetry hook of a service process, loaded before the service's own modules:
 *
 *   node --import tsx/esm --import @mutirao/telemetry/register src/main.ts
 *
 * The services are ES modules, and an ES module's imports are linked before any of its code runs,
 * so starting OpenTelemetry from main.ts comes too late for its instrumentations: require hooks do
 * not see `import`. This file, run by `--import` first, registers import-in-the-middle's loader
 * hook (through @opentelemetry/instrumentation's `hook.mjs`), starts the SDK (whose
 * instrumentations tell the hook which modules to wrap: http, express, mongoose, mongodb,
 * kafkajs, and no others), and waits until the loader has them before the service is imported.
 *
 * The service name is OTEL_SERVICE_NAME, else `mutirao-<service>` from the script being run.
 * OTEL_SDK_DISABLED=true turns all of it off.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { serviceNameFrom, startTelemetry } from './sdk';

if (isMainThread && process.env.OTEL_SDK_DISABLED !== 'true') {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  startTelemetry(serviceNameFrom(process.env, process.argv[1]));
  await waitForAllMessagesAcknowledged();
}
