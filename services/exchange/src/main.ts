import './instrumentation';
import { close, listen, stopOnSignals } from '@mutirao/http';
import { connectProducer, createKafka } from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { buildApp } from './app';
import { loadConfig } from './config';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('exchange', config.LOG_LEVEL);
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-exchange', logger });
  const producer = await connectProducer(kafka);
  const app = buildApp({ logger, readiness: { database: () => isConnected(db), kafka: producer.connected } });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'exchange service listening');

  stopOnSignals(logger, async () => {
    await close(server);
    await producer.producer.disconnect();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
