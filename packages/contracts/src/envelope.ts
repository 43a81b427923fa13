import { z } from 'zod';

/** W3C trace context `traceparent` header (version 00). */
export const TraceParent = z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);

/**
 * CloudEvents 1.0, structured JSON mode, with the distributed-tracing extension.
 * `data` is validated separately, by the schema registered for `type`.
 */
export const CloudEvent = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().regex(/^org\.mutirao\.[a-z0-9.-]+$/),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  traceparent: TraceParent.optional(),
  data: z.unknown(),
});
export type CloudEvent = z.infer<typeof CloudEvent>;

/** An envelope whose data has been checked against the schema of its type. */
export type TypedCloudEvent<T> = Omit<CloudEvent, 'data'> & { data: T };
