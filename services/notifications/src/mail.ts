import { connect, type Socket } from 'node:net';
import type { MailEnv } from '@mutirao/http';
import nodemailer from 'nodemailer';
import type { MailTransport, SendHooks } from './usecases/sender';

/** How long a connection, the server's greeting and any answer may take before the send fails. */
const TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 20_000 };

/**
 * The end of a message's data as nodemailer's DataStream writes it, alone, after the message: a
 * dot on a line of its own. The message's own lines that start with a dot are doubled, so no
 * other write of a session is one of these.
 */
const END_OF_DATA = new Set(['\r\n.\r\n', '.\r\n', '\n.\r\n']);

const isEndOfData = (chunk: unknown): boolean =>
  (typeof chunk === 'string' || Buffer.isBuffer(chunk)) &&
  chunk.length <= 5 &&
  END_OF_DATA.has(chunk.toString('latin1'));

/**
 * A plain TCP connection for nodemailer (its `getSocket`), whose end-of-data write calls
 * `handedOver` first, in the same synchronous call: once that write is made the server has the
 * whole mail and will keep it, whatever becomes of this process (a process killed later still
 * closes its sockets after their data is sent). Over TLS (SMTP_SECURE, or STARTTLS when the server
 * offers it) the bytes are written beneath JavaScript and the hook is not called.
 */
function plainSocket(host: string, port: number, handedOver: () => void) {
  return (
    _options: unknown,
    callback: (err: Error | null, socketOptions?: { connection: Socket }) => void,
  ) => {
    const socket = connect({ host, port });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', settle);
      if (err) {
        socket.destroy();
        callback(Object.assign(err, { code: (err as NodeJS.ErrnoException).code ?? 'ECONNECTION' }));
        return;
      }
      let pending: (() => void) | undefined = handedOver;
      const write = socket.write;
      socket.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
        if (pending && isEndOfData(chunk)) {
          const hook = pending;
          pending = undefined;
          hook();
        }
        return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as Socket['write'];
      callback(null, { connection: socket });
    };
    const timer = setTimeout(
      () =>
        settle(
          Object.assign(new Error(`no connection in ${TIMEOUTS.connectionTimeout} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      TIMEOUTS.connectionTimeout,
    );
    socket.once('connect', () => settle(null));
    socket.once('error', settle);
  };
}

/**
 * nodemailer's SMTP transport for the settings every service reads (`MailEnv`: host, port, TLS,
 * credentials), one connection per mail (not pooled: a pool whose server went away and came back
 * left sends waiting in the crash test), with timeouts that make a silent server an outage, not a
 * hang. A send over a plain connection tells `hooks.handedOver` when the mail's last bytes go.
 */
export function smtpTransport(mail: Omit<MailEnv, 'from'>): MailTransport & { close(): void } {
  const { host, port, secure, requireTLS, auth } = mail;
  const options = {
    host,
    port,
    secure,
    ...(requireTLS ? { requireTLS } : {}),
    ...(auth ? { auth } : {}),
    pool: false,
    ...TIMEOUTS,
  };
  return {
    async verify() {
      const t = nodemailer.createTransport(options);
      try {
        return await t.verify();
      } finally {
        t.close();
      }
    },
    async sendMail(message, hooks?: SendHooks) {
      // A transport per mail (each is one connection anyway), so that its socket knows its hook.
      const t = nodemailer.createTransport({
        ...options,
        ...(hooks?.handedOver && !secure ? { getSocket: plainSocket(host, port, hooks.handedOver) } : {}),
      });
      try {
        return await t.sendMail(message);
      } finally {
        t.close();
      }
    },
    close() {},
  };
}
