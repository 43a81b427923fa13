import { type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface TrackedProducer {
  producer: Producer;
  /** True while the producer holds a connection to the cluster (for `/readyz`). */
  connected(): boolean;
}

/**
 * An idempotent producer that remembers whether it is connected. One in flight keeps the order of
 * one aggregate's events even across retries.
 */
export async function connectProducer(kafka: Kafka): Promise<TrackedProducer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // The murmur2 partitioner of the Java client: keys land where other Kafka clients put them.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let up = false;
  producer.on(producer.events.CONNECT, () => {
    up = true;
  });
  producer.on(producer.events.DISCONNECT, () => {
    up = false;
  });
  await producer.connect();
  up = true;
  return { producer, connected: () => up };
}
