import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaJsInstrumentation, serviceNameFrom } from './sdk';
import { untraced } from './trace';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const instrumentation = kafkaJsInstrumentation();

/** What kafkajs's `Kafka` gives the instrumentation to patch: producers that send nothing. */
class FakeKafka {
  producer() {
    return {
      send: async (_record: unknown) => [],
      sendBatch: async (_batch: unknown) => [],
      transaction: async () => undefined,
      on: () => undefined,
      events: {},
    };
  }
  consumer() {
    return { run: async () => undefined, on: () => undefined, events: {} };
  }
}

beforeAll(() => {
  // The global tracer provider, context manager and W3C propagator, as the SDK registers them.
  provider.register();
  instrumentation.setTracerProvider(provider);
  for (const definition of instrumentation.getModuleDefinitions())
    definition.patch?.({ Kafka: FakeKafka }, '2.2.4');
});

afterAll(async () => {
  instrumentation.disable();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const traceparent = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const A = { traceId: 'a'.repeat(32), spanId: '1'.repeat(16) };
const B = { traceId: 'b'.repeat(32), spanId: '2'.repeat(16) };

describe("kafkajs's producer spans", () => {
  it("each continue the trace its own message's traceparent names, whatever the batch and the caller's context", async () => {
    exporter.reset();
    const producer = new FakeKafka().producer();
    const messages = [
      { value: 'a', headers: { traceparent: traceparent(A.traceId, A.spanId) } },
      { value: 'b', headers: { traceparent: Buffer.from(traceparent(B.traceId, B.spanId)) } },
      { value: 'c', headers: {} as Record<string, string> },
    ];
    // Sent as the outbox relay sends: in one batch, from a pass that is no request's.
    const caller = provider.getTracer('test').startSpan('caller');
    await context.with(trace.setSpan(context.active(), caller), () =>
      producer.sendBatch({ topicMessages: [{ topic: 'needs', messages }] }),
    );
    caller.end();
    const sends = exporter.getFinishedSpans().filter((s) => s.name === 'send needs');
    expect(sends.map((s) => [s.spanContext().traceId, s.parentSpanContext?.spanId])).toEqual([
      [A.traceId, A.spanId],
      [B.traceId, B.spanId],
      // Without one: the caller's context, as kafkajs's instrumentation does.
      [caller.spanContext().traceId, caller.spanContext().spanId],
    ]);
    // Each message now carries its own send span, for the consumer to continue from.
    expect(messages.map((m) => m.headers.traceparent?.toString())).toEqual(
      sends.map((s) => traceparent(s.spanContext().traceId, s.spanContext().spanId)),
    );
  });

  it('are recorded even when sent from an untraced pass, for the messages that name a trace', async () => {
    exporter.reset();
    const producer = new FakeKafka().producer();
    await untraced(() =>
      producer.send({
        topic: 'needs',
        messages: [
          { value: 'a', headers: { traceparent: traceparent(A.traceId, A.spanId) } },
          { value: 'b' },
        ],
      }),
    );
    expect(exporter.getFinishedSpans().map((s) => s.spanContext().traceId)).toEqual([A.traceId]);
  });
});

describe('serviceNameFrom', () => {
  it('is OTEL_SERVICE_NAME, else mutirao-<service> of the main script being run, else mutirao', () => {
    expect(serviceNameFrom({ OTEL_SERVICE_NAME: 'mine' }, '/r/services/exchange/src/main.ts')).toBe('mine');
    expect(serviceNameFrom({}, '/r/services/exchange/src/main.ts')).toBe('mutirao-exchange');
    expect(serviceNameFrom({ OTEL_SERVICE_NAME: '' }, '/r/services/matching/src/main.ts')).toBe(
      'mutirao-matching',
    );
    expect(serviceNameFrom({}, '/r/scripts/start.ts')).toBe('mutirao');
    expect(serviceNameFrom({}, undefined)).toBe('mutirao');
  });
});
