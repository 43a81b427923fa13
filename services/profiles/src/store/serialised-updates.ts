import type { Model } from 'mongoose';

/**
 * The model as the outbox relay sees it: the same, except that its `updateOne` calls (the removal
 * of published events) wait their turn in `serial`, like the service's own writes. See
 * `organisationWrites` for why.
 */
// biome-ignore lint/suspicious/noExplicitAny: the relay takes models of any document type
export function serialisedUpdates<M extends Model<any>>(
  model: M,
  serial: <T>(task: () => Promise<T>) => Promise<T>,
): M {
  return new Proxy(model, {
    get(target, prop, receiver) {
      if (prop !== 'updateOne') return Reflect.get(target, prop, receiver);
      // The relay passes a filter and an update, nothing else.
      return (filter: object, update: object) => serial(() => target.updateOne(filter, update).exec());
    },
  });
}
