import { hostname } from 'node:os';
import type { Logger } from '@mutirao/telemetry';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from './mongo';

/** Whether the server is FerretDB (its `buildInfo` says so), where updates are not atomic. */
export async function isFerretDB(conn: Connection): Promise<boolean> {
  const info = await conn.getClient().db('admin').command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

interface Lease {
  _id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
}

export class SecondInstanceError extends Error {}

export interface SoleWriter {
  /**
   * True when this process holds the lease (on FerretDB): no other instance of the service runs,
   * so nothing needs following from other instances (docs/scaling.md).
   */
  readonly sole: boolean;
  release(): Promise<void>;
  /** Stops the heartbeat without releasing, as a machine that vanished would. */
  stopBeatingForTest(): Promise<void>;
}

export interface SoleWriterOptions {
  logger: Logger;
  /** How often the holder says it is alive, and how long after its last word a lease is free. */
  heartbeatMs?: number;
  staleMs?: number;
  /** Who claims (for tests: another process is another pid or host). */
  host?: string;
  pid?: number;
  /** Whether a process of this host is alive (`kill -0`). */
  alive?: (pid: number) => boolean;
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Makes this process the only writer of `service` to an embedded FerretDB v1, or refuses to start.
 *
 * The services' writes rely on single-document atomic updates: a guarded update (`{_id, version}`)
 * must fail when another writer got there first. MongoDB does that across processes. FerretDB v1
 * does not: its update handler reads the matching documents and writes them back in two steps
 * (`internal/handler/msg_update.go`: `c.Query`, then `common.UpdateDocument`), so two processes can
 * both pass the same guard and one change is lost. Within one process the services serialise writes
 * to a document with locks; across processes nothing can, so on FerretDB a second instance of such
 * a service is refused here with a clear message. On MongoDB nothing is claimed (see docs/scaling.md).
 *
 * The claim is a lease document inserted under the service's name (the unique `_id` makes the
 * insert atomic even on FerretDB), renewed by a heartbeat. A lease left by a process that died is
 * taken over: at once when its process is gone from this host, otherwise once it is stale.
 */
export async function claimSoleWriter(
  conn: Connection,
  service: string,
  opts: SoleWriterOptions,
): Promise<SoleWriter> {
  if (!(await isFerretDB(conn)))
    return { sole: false, release: async () => undefined, stopBeatingForTest: async () => undefined };
  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  const staleMs = opts.staleMs ?? 4 * heartbeatMs;
  const host = opts.host ?? hostname();
  const pid = opts.pid ?? process.pid;
  const alive = opts.alive ?? processAlive;
  const leases = conn.getClient().db(conn.name).collection<Lease>('sole_writer');
  const claim = async (): Promise<boolean> => {
    const now = new Date();
    try {
      await leases.insertOne({ _id: service, host, pid, startedAt: now, heartbeatAt: now });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
  };
  if (!(await claim())) {
    const held = await leases.findOne({ _id: service });
    const gone =
      !held ||
      Date.now() - held.heartbeatAt.getTime() > staleMs ||
      (held.host === host && held.pid !== pid && !alive(held.pid));
    if (held && !gone)
      throw new SecondInstanceError(
        `Another ${service} instance (pid ${held.pid} on ${held.host}, running since ${held.startedAt.toISOString()}) ` +
          'already writes to this store. The embedded FerretDB cannot make an update atomic across processes, so ' +
          `one ${service} instance runs against it; to run several, use MongoDB (docs/scaling.md).`,
      );
    // Only the lease as read: a claimant that took it over meanwhile keeps it.
    if (held)
      await leases.deleteOne({ _id: service, pid: held.pid, host: held.host, heartbeatAt: held.heartbeatAt });
    if (!(await claim()))
      throw new SecondInstanceError(`Another ${service} instance claimed this store at the same moment.`);
    opts.logger.info(
      { previous: held ? { pid: held.pid, host: held.host } : undefined },
      'took over the store lease',
    );
  }
  const timer = setInterval(() => {
    leases
      .updateOne({ _id: service, host, pid }, { $set: { heartbeatAt: new Date() } })
      .catch((err: unknown) => opts.logger.warn({ err }, 'could not renew the store lease'));
  }, heartbeatMs);
  timer.unref();
  return {
    sole: true,
    async stopBeatingForTest() {
      clearInterval(timer);
    },
    async release() {
      clearInterval(timer);
      await leases.deleteOne({ _id: service, host, pid }).catch(() => undefined);
    },
  };
}
