import {
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** The W3C `traceparent` of the active span, if any (carried in CloudEvents and the outbox). */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (carrier.traceparent) return carrier.traceparent;
  // Without a registered propagator (telemetry disabled) build it from the active span.
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags.toString(16)}`;
}

/** A context whose parent is the given `traceparent`, to continue a trace from a message. */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

export const tracer = (name: string) => trace.getTracer(name);

/** A span link to the span a `traceparent` names (a batch links to each of its messages' spans). */
export function linkOf(traceparent: string | undefined): Link[] {
  if (!traceparent) return [];
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
  return spanContext ? [{ context: spanContext }] : [];
}

/**
 * Runs `fn` in a new span of `tracerName`, ended when `fn` settles and marked as an error if it
 * throws, for the work done on behalf of one event or request after it (each event of a batch,
 * say). Its parent: the span a `traceparent` names, or the given context, or the active one.
 */
export function inSpan<T>(
  tracerName: string,
  name: string,
  parent: string | Context | undefined,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const from = typeof parent === 'string' ? contextFromTraceparent(parent) : (parent ?? context.active());
  return tracer(tracerName).startActiveSpan(name, options, from, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** `inSpan` with a new trace: for work that no request or event asked for (a timer's). */
export function inNewTrace<T>(
  tracerName: string,
  name: string,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return inSpan(tracerName, name, ROOT_CONTEXT, fn, options);
}

/**
 * Runs `fn` outside any trace, its calls unrecorded: for the background passes (the outbox relay,
 * timers) that a request or an event merely woke. Otherwise they would run in the context of
 * whatever woke them, and that request's trace would gain every later pass of theirs, timers
 * included. What they do on behalf of one event continues that event's trace explicitly.
 */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(ROOT_CONTEXT), fn);
}
