import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from './asyncapi';
import { EventSchemas } from './events';
import { Topics } from './topics';

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3.0, with no error and no warning', async () => {
    const diagnostics = await new Parser().validate(JSON.stringify(asyncApiDocument()));
    const serious = diagnostics.filter((d) => d.severity <= 1);
    expect(serious.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  });

  it('has a channel for every topic and a message for every event type, on its topic', () => {
    const doc = asyncApiDocument('t1') as {
      channels: Record<string, { address: string; messages: Record<string, unknown> }>;
      components: { messages: Record<string, { name: string; payload: { properties: { data: unknown } } }> };
    };
    expect(
      Object.values(doc.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual(
      Object.values(Topics)
        .map((t) => `t1.${t}`)
        .sort(),
    );
    const names = Object.values(doc.components.messages).map((m) => m.name);
    expect(names.sort()).toEqual(Object.keys(EventSchemas).sort());
    const needs = doc.channels.mutirao_exchange_need_v1;
    expect(Object.keys(needs?.messages ?? {})).toContain('org_mutirao_exchange_need_published');
    expect(Object.keys(needs?.messages ?? {})).not.toContain('org_mutirao_exchange_offer_published');
    const agreed = doc.components.messages.org_mutirao_matching_proposal_agreed;
    expect(JSON.stringify(agreed?.payload.properties.data)).toContain('consents');
  });
});
