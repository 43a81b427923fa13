import type { Logger } from '@mutirao/telemetry';
import { Kafka, type LogEntry, logLevel } from 'kafkajs';

/** A kafkajs client whose logs go through the service's structured logger. */
export function createKafka(opts: { brokers: string[]; clientId: string; logger?: Logger }): Kafka {
  const logger = opts.logger;
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 200 },
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...extra } = entry.log;
      const fields = { kafka: { namespace: entry.namespace, ...extra } };
      if (entry.level <= logLevel.ERROR) logger.error(fields, message);
      else if (entry.level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    },
  });
}

/**
 * Creates the topics (and each one's `.dlq` twin) if missing. Done explicitly at start, so that
 * partitions are what we chose rather than whatever auto-creation would pick.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((t) => [t, `${t}.dlq`]))].filter((t) => !existing.has(t));
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((topic) => ({ topic, numPartitions: topic.endsWith('.dlq') ? 1 : numPartitions })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
