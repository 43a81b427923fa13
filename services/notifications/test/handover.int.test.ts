import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { smtpTransport } from '../src/mail';

/**
 * The moment the transport tells the sender a mail is handed over: over a plain connection, just
 * before the end-of-data dot is written, so before any server can have kept the mail. A small SMTP
 * server of the test's own notes when the dot arrives and answers it as told (or not at all, as a
 * server whose answer never reaches a process killed meanwhile).
 */
type Answer = '250' | '554' | 'none';
const events: string[] = [];
let server: Server | undefined;
const sockets = new Set<Socket>();

async function fakeSmtp(answer: Answer): Promise<number> {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let inData = false;
    let buffer = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          buffer = buffer.slice(end + 5);
          inData = false;
          events.push('server has the dot');
          if (answer === '250') socket.write('250 2.0.0 kept\r\n');
          if (answer === '554') socket.write('554 5.7.1 refused after all\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-fake\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  events.length = 0;
  for (const s of sockets) s.destroy();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const message = {
  from: 'Mutirão <no-reply@mutirao.test>',
  to: 'ana@coop.example',
  subject: 'Olá',
  // A line that starts with a dot, and one that is a lone dot: doubled, not taken for the end.
  text: 'Primeira linha\n.\n.uma linha com ponto\n',
  messageId: '<handover-1@mutirao.test>',
};

describe('the hand-over of a mail to the SMTP server', () => {
  it('is told before the server has the end of the data, then the send succeeds', async () => {
    const t = smtpTransport({ host: '127.0.0.1', port: await fakeSmtp('250'), secure: false });
    await t.sendMail(message, { handedOver: () => events.push('handed over') });
    expect(events).toEqual(['handed over', 'server has the dot']);
  });

  it('is told even when no answer ever comes (a process killed then has its note)', async () => {
    const t = smtpTransport({ host: '127.0.0.1', port: await fakeSmtp('none'), secure: false });
    const sent = t.sendMail(message, { handedOver: () => events.push('handed over') }).catch((e: Error) => e);
    await new Promise<void>((resolve) => {
      const check = () => (events.includes('server has the dot') ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(events).toEqual(['handed over', 'server has the dot']);
    for (const s of sockets) s.destroy();
    expect(await sent).toBeInstanceOf(Error);
  });

  it('is told once, and a refusal after the data still fails the send', async () => {
    const t = smtpTransport({ host: '127.0.0.1', port: await fakeSmtp('554'), secure: false });
    let told = 0;
    const err = (await t.sendMail(message, { handedOver: () => told++ }).catch((e: unknown) => e)) as {
      responseCode?: number;
    };
    expect(told).toBe(1);
    expect(err.responseCode).toBe(554);
  });

  it('says nothing when the server cannot be reached', async () => {
    const port = await fakeSmtp('250');
    await new Promise((r) => server?.close(r));
    server = undefined;
    const t = smtpTransport({ host: '127.0.0.1', port, secure: false });
    let told = 0;
    const err = (await t.sendMail(message, { handedOver: () => told++ }).catch((e: unknown) => e)) as {
      code?: string;
    };
    expect(told).toBe(0);
    expect(err.code).toBe('ECONNREFUSED');
  });
});
