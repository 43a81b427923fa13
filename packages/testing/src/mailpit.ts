import { z } from 'zod';
import { eventually } from './env';

/**
 * A small client of Mailpit's API (v1.33.1, `server/ui/api/v1/swagger.json` of its module), for
 * tests that read the mails the system sent. Only the fields the tests use are parsed; Mailpit
 * sends more. Go's empty lists arrive as `null`, read here as `[]`.
 *
 * Every test file shares the run's Mailpit: find your mails with `search(toQuery(address))` for an
 * address of the file's own (`env.unique(…)`), rather than `list()` or `deleteAll()`.
 */

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullable()
    .transform((v) => v ?? []);

export const MailpitAddress = z.object({ Name: z.string(), Address: z.string() });
export type MailpitAddress = z.infer<typeof MailpitAddress>;

/** One message in a list or a search (`MessageSummary`). */
export const MailpitMessageSummary = z.object({
  /** Mailpit's database id, for `message(id)`. */
  ID: z.string(),
  /** The Message-ID header, without angle brackets. */
  MessageID: z.string(),
  From: MailpitAddress.nullable(),
  To: list(MailpitAddress),
  Cc: list(MailpitAddress),
  Bcc: list(MailpitAddress),
  Subject: z.string(),
  /** When Mailpit received it (RFC 3339). */
  Created: z.string(),
  /** Up to 250 characters of the text. */
  Snippet: z.string(),
  Tags: list(z.string()),
  Read: z.boolean(),
  /** The SMTP user name the sender logged in with (empty without one). */
  Username: z.string(),
  Size: z.number(),
  /** How many attachments it has. */
  Attachments: z.number(),
});
export type MailpitMessageSummary = z.infer<typeof MailpitMessageSummary>;

/** A page of a list or a search (`MessagesSummary`), newest first. */
export const MailpitMessages = z.object({
  /** Messages in the mailbox. */
  total: z.number(),
  /** Messages matching the list or search. */
  messages_count: z.number(),
  start: z.number(),
  messages: list(MailpitMessageSummary),
});
export type MailpitMessages = z.infer<typeof MailpitMessages>;

export const MailpitAttachment = z.object({
  PartID: z.string(),
  FileName: z.string(),
  ContentType: z.string(),
  ContentID: z.string(),
  Size: z.number(),
});

/** One message, its text and HTML parts decoded (`Message`). */
export const MailpitMessage = z.object({
  ID: z.string(),
  MessageID: z.string(),
  From: MailpitAddress.nullable(),
  To: list(MailpitAddress),
  Cc: list(MailpitAddress),
  Bcc: list(MailpitAddress),
  ReplyTo: list(MailpitAddress),
  ReturnPath: z.string(),
  /** Decoded (RFC 2047 encoded words and all). */
  Subject: z.string(),
  /** The Date header, or when it was received. */
  Date: z.string(),
  Text: z.string(),
  HTML: z.string(),
  Username: z.string(),
  Size: z.number(),
  Tags: list(z.string()),
  Attachments: list(MailpitAttachment),
  Inline: list(MailpitAttachment),
  /** The List-Unsubscribe and List-Unsubscribe-Post headers, as Mailpit checked them. */
  ListUnsubscribe: z.object({
    Header: z.string(),
    HeaderPost: z.string(),
    Links: list(z.string()),
    /** Mailpit's objections to the header (empty when it is well formed). */
    Errors: z.string(),
  }),
});
export type MailpitMessage = z.infer<typeof MailpitMessage>;

/** Every header of a message, by name (`MessageHeadersResponse`): a name may repeat. */
export const MailpitHeaders = z.record(z.string(), z.array(z.string()));
export type MailpitHeaders = z.infer<typeof MailpitHeaders>;

/** A search for the mails to an address (Mailpit's `to:` matches part of To, case-insensitively). */
export const toQuery = (address: string): string => `to:"${address}"`;

export interface Page {
  start?: number;
  limit?: number;
}

export class Mailpit {
  /** `baseUrl`: where Mailpit's UI and API are, e.g. http://127.0.0.1:8025 (MAILPIT_URL). */
  constructor(readonly baseUrl: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      signal: AbortSignal.timeout(10_000),
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`Mailpit ${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  private async get<S extends z.ZodType>(schema: S, path: string): Promise<z.infer<S>> {
    const res = await this.call('GET', path);
    return schema.parse(await res.json());
  }

  /** The mailbox, newest first: `GET /api/v1/messages`. */
  list(page: Page = {}): Promise<MailpitMessages> {
    return this.get(MailpitMessages, `/api/v1/messages?${pageParams(page)}`);
  }

  /** Messages matching a Mailpit search (`to:…`, `subject:…`, `from:…`, words): `GET /api/v1/search`. */
  search(query: string, page: Page = {}): Promise<MailpitMessages> {
    return this.get(MailpitMessages, `/api/v1/search?query=${encodeURIComponent(query)}&${pageParams(page)}`);
  }

  /** One message, by Mailpit's ID or `latest`: `GET /api/v1/message/{ID}`. */
  message(id: string): Promise<MailpitMessage> {
    return this.get(MailpitMessage, `/api/v1/message/${encodeURIComponent(id)}`);
  }

  /** Its headers: `GET /api/v1/message/{ID}/headers`. */
  headers(id: string): Promise<MailpitHeaders> {
    return this.get(MailpitHeaders, `/api/v1/message/${encodeURIComponent(id)}/headers`);
  }

  /** Deletes these messages: `DELETE /api/v1/messages` with their IDs. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.call('DELETE', '/api/v1/messages', { IDs: ids });
  }

  /** Deletes every message of the mailbox, every test file's: `DELETE /api/v1/messages`. */
  async deleteAll(): Promise<void> {
    await this.call('DELETE', '/api/v1/messages');
  }

  /**
   * Waits until a search finds at least `count` messages (mail arrives after the send returns, and
   * a system sends it in the background); returns them, newest first.
   */
  async waitFor(
    query: string,
    { count = 1, timeoutMs = 20_000 }: { count?: number; timeoutMs?: number } = {},
  ): Promise<MailpitMessageSummary[]> {
    return eventually(
      async () => {
        const found = await this.search(query, { limit: Math.max(50, count) });
        return found.messages.length >= count ? found.messages : undefined;
      },
      { timeoutMs, intervalMs: 200, what: `${count} mail(s) matching ${query} in ${this.baseUrl}` },
    );
  }
}

function pageParams({ start = 0, limit = 50 }: Page): string {
  return `start=${start}&limit=${limit}`;
}
