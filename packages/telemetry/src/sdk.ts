import { basename, dirname } from 'node:path';
import {
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';

let sdk: NodeSDK | undefined;

/** Whether spans leave the process: an OTLP endpoint is configured. */
export function exporting(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * The service's name for its spans: OTEL_SERVICE_NAME, else `mutirao-<folder>` of a service's
 * `services/<folder>/src/main.ts` being run, else `mutirao`.
 */
export function serviceNameFrom(env: NodeJS.ProcessEnv, main: string | undefined): string {
  if (env.OTEL_SERVICE_NAME) return env.OTEL_SERVICE_NAME;
  if (main) {
    const src = dirname(main);
    const service = dirname(src);
    if (basename(src) === 'src' && basename(dirname(service)) === 'services')
      return `mutirao-${basename(service)}`;
  }
  return 'mutirao';
}

/** kafkajs header values are strings or Buffers. */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  get: (carrier, key) => {
    const v = carrier[key];
    return typeof v === 'string' || Buffer.isBuffer(v) ? v.toString() : undefined;
  },
  keys: (carrier) => Object.keys(carrier),
};

type StartProducerSpan = (
  topic: string,
  message: { headers?: Record<string, unknown> },
  client: unknown,
) => Span;

/**
 * kafkajs's instrumentation, its `send` spans each under the trace of their own message.
 *
 * As published, it starts every message's producer span under the context active when `send` or
 * `sendBatch` is called: one parent for a whole batch. The outbox relay sends the events of many
 * requests together, after those requests, from whichever context woke it; each event's request
 * would lose its `send` span to another trace. Here each message's span is started under the
 * `traceparent` its headers already carry (@mutirao/messaging sets it from the envelope, that is
 * from the span that made the event), then the instrumentation writes its own span into that
 * header as usual, so the consumer continues from the `send` span. That holds even when the
 * sender runs untraced (the relay's passes, see `untraced`); messages without a `traceparent` keep
 * the active context. (The method is private to the instrumentation: pinned by the catalog, and the
 * trace tests fail if it changes.)
 */
export function kafkaJsInstrumentation(): KafkaJsInstrumentation {
  const instrumentation = new KafkaJsInstrumentation();
  const internals = instrumentation as unknown as { _startProducerSpan?: StartProducerSpan };
  const start = internals._startProducerSpan;
  if (typeof start !== 'function') {
    diag.warn('@mutirao/telemetry: kafkajs producer spans keep the batch context (instrumentation changed)');
    return instrumentation;
  }
  internals._startProducerSpan = function (this: unknown, topic, message, client) {
    const sent = propagation.extract(ROOT_CONTEXT, message.headers ?? {}, headerGetter);
    const parent = trace.getSpanContext(sent) ? sent : context.active();
    return context.with(parent, () => start.call(this, topic, message, client));
  };
  return instrumentation;
}

/** The instrumentations every service runs with. */
export function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => /\/(healthz|readyz)$/.test(req.url ?? ''),
    }),
    new ExpressInstrumentation(),
    new MongooseInstrumentation(),
    // The stores write through the driver too (the outbox journal, bulk inserts): those writes
    // have spans only from the driver's instrumentation.
    new MongoDBInstrumentation(),
    kafkaJsInstrumentation(),
  ];
}

/**
 * Starts OpenTelemetry for a service. Called by `register.ts` (`node --import
 * @mutirao/telemetry/register`), before the service's modules load, so that the instrumentations
 * patch http, express, mongoose, mongodb and kafkajs (under ESM this needs the loader hook that
 * `register.ts` installs first).
 *
 * Traces only. Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without
 * it they are not even recorded (sampled off), but every span still has a trace and span id, so
 * `traceparent` still flows into events, messages and logs.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (sdk || env.OTEL_SDK_DISABLED === 'true') return;
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || serviceName,
    ...(exporting(env)
      ? { traceExporter: new OTLPTraceExporter() }
      : // A tracer provider that makes ids and records nothing (the SDK registers none without a processor).
        { sampler: new AlwaysOffSampler(), spanProcessors: [new NoopSpanProcessor()] }),
    // No metrics and no log records: the SDK would otherwise export both over OTLP every minute by default.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(),
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
