import type { Logger } from '@mutirao/telemetry';
import { type Admin, Kafka, type LogEntry, logLevel } from 'kafkajs';

/**
 * What a broker answers while it starts, elects leaders or loads a group's coordinator, or while a
 * group rebalances (members of a service that runs as several instances come and go): kafkajs
 * logs these at error level, then retries or rejoins and succeeds. They are debug lines here; a
 * retry that gives up still fails loudly (the caller's error, and kafkajs's own "Crash" lines).
 */
const TRANSIENT =
  /coordinator is (not available|loading)|not the correct coordinator|does not host this topic-partition|no leader for this topic-partition|not the leader for that topic-partition|Topic creation errors|topic already exists|group is rebalancing/i;

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
      const transient = TRANSIENT.test(`${message} ${String((extra as { error?: unknown }).error ?? '')}`);
      if (entry.level <= logLevel.ERROR && !transient) logger.error(fields, message);
      else if (transient) logger.debug(fields, message);
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
      // Not kafkajs's `waitForLeaders`: it retries only LEADER_NOT_AVAILABLE, while a KRaft broker
      // whose metadata has not caught up with the creation yet answers UNKNOWN_TOPIC_OR_PARTITION,
      // and createTopics then fails ("This server does not host this topic-partition").
      await admin.createTopics({
        waitForLeaders: false,
        topics: wanted.map((topic) => ({ topic, numPartitions: topic.endsWith('.dlq') ? 1 : numPartitions })),
      });
    }
    await waitForLeaders(admin, [...new Set(topics.flatMap((t) => [t, `${t}.dlq`]))]);
  } finally {
    await admin.disconnect();
  }
}

const SETTLING = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  // A new broker creates its offsets topic at the first group's first request: until it has, group
  // requests answer these (a CI run's exchange exited at start on NOT_COORDINATOR_FOR_GROUP).
  'NOT_COORDINATOR_FOR_GROUP',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'GROUP_LOAD_IN_PROGRESS',
]);

/** The error's type if it says the topics' metadata is still settling (directly or after retries). */
function settlingType(e: unknown): string | undefined {
  const error = e as { type?: string; originalError?: { type?: string } };
  const type = error.type ?? error.originalError?.type;
  return type !== undefined && SETTLING.has(type) ? type : undefined;
}

/**
 * `fn`, again while the broker answers that the topics' metadata is still settling (a partition
 * created a moment ago may have a leader in the metadata before that leader answers for it).
 */
export async function whileSettling<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (settlingType(e) === undefined || Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until the broker's metadata shows every partition of the topics with a leader, so that the
 * producers and consumers started next find them. Also covers topics another process is creating
 * at the same moment (it created them, we saw them in the list, their leaders may not be there yet).
 */
export async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      const waiting = found.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (found.length === topics.length && waiting.length === 0) return;
      last = `no leader yet for ${waiting.map((t) => t.name).join(', ') || 'some topics'}`;
    } catch (e) {
      const type = settlingType(e);
      if (type === undefined) throw e;
      last = type;
    }
    if (Date.now() > deadline) {
      throw new Error(`Kafka topics ${topics.join(', ')} not ready after ${timeoutMs} ms: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
