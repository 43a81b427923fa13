import './instrumentation';
import { close, listen, stopOnSignals } from '@mutirao/http';
import { createLogger } from '@mutirao/telemetry';
import { loadConfig } from './config';
import { startRuntime } from './runtime';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('matching', config.LOG_LEVEL);
  const runtime = await startRuntime(config, logger);
  const server = await listen(runtime.app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'matching service listening');
  stopOnSignals(logger, async () => {
    await close(server);
    await runtime.stop();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
