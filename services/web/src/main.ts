import { close, listen, stopOnSignals } from '@mutirao/http';
import { createLogger } from '@mutirao/telemetry';
import { buildApp } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('web', config.LOG_LEVEL);
  const server = await listen(buildApp({ config, logger }), config.PORT, config.HOST);
  logger.info({ port: config.PORT }, `Mutirão at http://${config.HOST}:${config.PORT}/`);
  stopOnSignals(logger, () => close(server));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
