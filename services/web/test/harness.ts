/** Starting the web server and a headless Chromium for the browser tests and the screenshots. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@mutirao/telemetry';
import { type Browser, chromium } from 'playwright-core';
import { buildApp } from '../src/app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function startWeb(urls: { PROFILES_URL: string; EXCHANGE_URL: string; MATCHING_URL: string }) {
  const app = buildApp({ config: urls, logger: createLogger('web', 'silent'), fetchReady: async () => true });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
