/** `pnpm infra:up | infra:down | infra:status` */
import { defaultOptions, down, status, up } from './infra';

async function main(command: string | undefined): Promise<number> {
  const o = defaultOptions();
  switch (command) {
    case 'up': {
      const t0 = Date.now();
      const r = await up(o);
      o.log(
        `up in ${((Date.now() - t0) / 1000).toFixed(1)}s: KAFKA_BROKERS=${r.kafkaBrokers} MONGO_URL=${r.mongoUrl} ` +
          `SMTP_HOST=127.0.0.1 SMTP_PORT=${o.smtpPort} MAILPIT_URL=${r.mailpitUrl}`,
      );
      o.log(`mails sent to the SMTP server can be read at ${r.mailpitUrl}`);
      return 0;
    }
    case 'down':
      await down(o);
      return 0;
    case 'status': {
      const rows = await status(o);
      for (const r of rows) {
        const mem = r.rssMiB !== undefined ? `, rss ${r.rssMiB} MiB, peak ${r.peakRssMiB} MiB` : '';
        const who = r.pid ? `pid ${r.pid}${mem}` : 'not started by this folder';
        console.log(
          `${r.server.padEnd(8)} ${r.address.padEnd(48)} ${r.answers ? 'answers' : 'DOWN   '}  ${who}`,
        );
      }
      return rows.every((r) => r.answers) ? 0 : 1;
    }
    default:
      console.error('usage: infra up | down | status');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
