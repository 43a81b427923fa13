import { z } from 'zod';
import { CloudEvent } from './envelope';
import { EventSchemas, EventTopics, type EventType } from './events';
import { Topics } from './topics';

/** Who publishes on each topic, and who reads it. */
const TOPIC_ROLES: Record<keyof typeof Topics, { by: string; readers: string[]; about: string }> = {
  organisation: {
    by: 'profiles',
    readers: ['exchange', 'matching', 'followup'],
    about: 'Organisations: registration, profile changes, verification. Keyed by organisation id.',
  },
  person: {
    by: 'profiles',
    readers: ['notifications'],
    about:
      'People who sign in, with e-mail, language, organisation, roles and regions: personal data, read by notifications only. Keyed by account id.',
  },
  access: {
    by: 'profiles',
    readers: ['notifications'],
    about:
      'Invitations and password resets whose one-time token must be mailed: read by notifications only. Keyed by invitation or reset id.',
  },
  need: {
    by: 'exchange',
    readers: ['matching', 'followup'],
    about: 'Needs of SSE entities. Keyed by need id.',
  },
  offer: {
    by: 'exchange',
    readers: ['matching', 'followup'],
    about: 'Offers of partners. Keyed by offer id.',
  },
  proposal: {
    by: 'matching',
    readers: ['exchange', 'profiles', 'followup'],
    about: 'Proposals: proposed, reviewed, answered, agreed or expired. Keyed by proposal id.',
  },
  command: {
    by: 'matching',
    readers: ['matching'],
    about:
      'Review and consent commands an instance of matching received for a need another instance owns. Keyed by need id, with as many partitions as the need topic: partition i of both goes to the same instance.',
  },
  call: {
    by: 'matching',
    readers: [],
    about:
      "Calls' rounds: a call closed and its capacity was assigned across every eligible need at once, with the needs chosen (each a proposal) and those left out, with why. Keyed by the call's offer id.",
  },
  reply: {
    by: 'matching',
    readers: ['matching'],
    about:
      'The outcome of each command (the proposal as saved, or the refusal), for the instance that sent it. Keyed by that instance.',
  },
  partnership: {
    by: 'followup',
    readers: ['notifications'],
    about:
      'Partnerships after the agreement: recorded, updated by the parties, reports filed, reports due (reminders). Keyed by partnership id (the agreed proposal id).',
  },
};

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as object;

/** A channel id without the dots AsyncAPI does not allow in component keys. */
const idOf = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * The AsyncAPI 3.0 document of every topic and event type, built from the contracts: each event is
 * a CloudEvents 1.0 envelope (structured JSON mode, keyed by the aggregate id) whose `data` is the
 * schema registered for its type. `prefix` is a deployment's topic prefix (none in production).
 */
export function asyncApiDocument(prefix = ''): Record<string, unknown> {
  const envelope = jsonSchema(CloudEvent.omit({ data: true, type: true })) as {
    properties: Record<string, unknown>;
    required: string[];
  };
  const messages: Record<string, unknown> = {};
  for (const type of Object.keys(EventSchemas) as EventType[]) {
    messages[idOf(type)] = {
      name: type,
      title: type,
      contentType: 'application/cloudevents+json',
      payload: {
        type: 'object',
        properties: {
          ...envelope.properties,
          type: { type: 'string', const: type },
          data: jsonSchema(EventSchemas[type]),
        },
        required: [...envelope.required, 'type', 'data'],
      },
      headers: {
        type: 'object',
        properties: {
          ce_type: { type: 'string', const: type },
          ce_id: { type: 'string' },
          traceparent: { type: 'string' },
          'content-type': { type: 'string' },
        },
        required: ['ce_type', 'ce_id'],
      },
      bindings: { kafka: { key: { type: 'string', description: 'the aggregate id (the subject)' } } },
    };
  }
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [name, topic] of Object.entries(Topics) as [keyof typeof Topics, string][]) {
    const role = TOPIC_ROLES[name];
    const types = (Object.keys(EventTopics) as EventType[]).filter((t) => EventTopics[t] === topic);
    const channel = idOf(topic);
    channels[channel] = {
      address: prefix ? `${prefix}.${topic}` : topic,
      description: `${role.about} Published by ${role.by}; read by ${role.readers.join(' and ')}. Malformed messages go to the \`.dlq\` twin with the reason.`,
      messages: Object.fromEntries(types.map((t) => [idOf(t), { $ref: `#/components/messages/${idOf(t)}` }])),
    };
    operations[`${role.by}_publishes_${name}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel}` },
      summary: `${role.by} publishes ${name} events (through its outbox)`,
    };
    for (const reader of role.readers)
      operations[`${reader}_reads_${name}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channel}` },
        summary: `${reader} reads ${name} events`,
      };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Mutirão events',
      version: '1.0.0',
      description:
        'Every event of the system. Consumers apply an event only when its revision is newer than the one they hold; a breaking change is a new type version.',
    },
    defaultContentType: 'application/cloudevents+json',
    servers: { kafka: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'the embedded broker' } },
    channels,
    operations,
    components: { messages },
  };
}
