import { z } from 'zod';
import { NeedSnapshot, OfferSnapshot } from './snapshots';

/**
 * Events of the exchange service: needs on `mutirao.exchange.need.v1`, offers on
 * `mutirao.exchange.offer.v1`. Each carries the posting's full public snapshot and its revision
 * (confidential parts never travel). A breaking change is a new type version, never an edit.
 *
 * - `published`: the posting became open (first publication, or an expired one renewed).
 * - `updated`: an open posting's content or expiry changed.
 * - `withdrawn` / `closed`: its owner took it off the exchange.
 * - `expired`: its `expiresAt` passed while it was open (the exchange's scheduler).
 * - `matched` (need): an agreed partnership took it.
 * - `capacity-changed` (offer): an agreed partnership used one unit of its capacity; at zero the
 *   offer stays open but is not matchable.
 */
export const NeedEventType = z.enum([
  'org.mutirao.exchange.need.published',
  'org.mutirao.exchange.need.updated',
  'org.mutirao.exchange.need.withdrawn',
  'org.mutirao.exchange.need.matched',
  'org.mutirao.exchange.need.expired',
  'org.mutirao.exchange.need.closed',
]);
export type NeedEventType = z.infer<typeof NeedEventType>;

export const NeedEventData = z.object({ need: NeedSnapshot });
export type NeedEventData = z.infer<typeof NeedEventData>;

/** The data schema of each need event type, handed to consumers of the topic. */
export const NeedEventSchemas: Record<NeedEventType, z.ZodType<NeedEventData>> = {
  'org.mutirao.exchange.need.published': NeedEventData,
  'org.mutirao.exchange.need.updated': NeedEventData,
  'org.mutirao.exchange.need.withdrawn': NeedEventData,
  'org.mutirao.exchange.need.matched': NeedEventData,
  'org.mutirao.exchange.need.expired': NeedEventData,
  'org.mutirao.exchange.need.closed': NeedEventData,
};

export const OfferEventType = z.enum([
  'org.mutirao.exchange.offer.published',
  'org.mutirao.exchange.offer.updated',
  'org.mutirao.exchange.offer.withdrawn',
  'org.mutirao.exchange.offer.capacity-changed',
  'org.mutirao.exchange.offer.expired',
  'org.mutirao.exchange.offer.closed',
]);
export type OfferEventType = z.infer<typeof OfferEventType>;

export const OfferEventData = z.object({ offer: OfferSnapshot });
export type OfferEventData = z.infer<typeof OfferEventData>;

/** The data schema of each offer event type, handed to consumers of the topic. */
export const OfferEventSchemas: Record<OfferEventType, z.ZodType<OfferEventData>> = {
  'org.mutirao.exchange.offer.published': OfferEventData,
  'org.mutirao.exchange.offer.updated': OfferEventData,
  'org.mutirao.exchange.offer.withdrawn': OfferEventData,
  'org.mutirao.exchange.offer.capacity-changed': OfferEventData,
  'org.mutirao.exchange.offer.expired': OfferEventData,
  'org.mutirao.exchange.offer.closed': OfferEventData,
};
