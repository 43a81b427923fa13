import { makeEvent } from '@mutirao/messaging';
import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anAgreedProposal } from '../domain/factories';
import { type Harness, startHarness } from '../test-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const contactOf = async (id: string, token: string) => {
  const res = await request(h.app).get(`/organisations/${id}`).set('authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  return res.body.contact as { email: string } | undefined;
};

const agreed = (needOrganisationId: string, offerOrganisationIds: string[], id = 'proposal-1') =>
  makeEvent({
    type: 'org.mutirao.matching.proposal.agreed',
    source: 'mutirao-matching',
    subject: id,
    data: { proposal: anAgreedProposal({ id, needOrganisationId, offerOrganisationIds }) },
  });

describe('staged disclosure of contact details', () => {
  it('shows a partner’s contact to the other party once their proposal is agreed, and to nobody else', async () => {
    const a = await h.register({ contact: { email: 'a@coop.example' } });
    const b = await h.register({
      kind: 'financier',
      sseForm: undefined,
      contact: { email: 'b@fund.example' },
    });
    const c = await h.register({ contact: { email: 'c@coop.example' } });
    expect(await contactOf(b.orgId, a.token)).toBeUndefined();
    expect(await contactOf(a.orgId, b.token)).toBeUndefined();

    // A proposal still under way discloses nothing.
    const proposed = agreed(a.orgId, [b.orgId], 'proposal-early');
    await h.publishProposalEvents({
      ...proposed,
      type: 'org.mutirao.matching.proposal.accepted',
      data: { proposal: { ...proposed.data.proposal, status: 'accepted' } },
    });
    await h.agreementsProcessed();
    expect(await contactOf(b.orgId, a.token)).toBeUndefined();

    await h.publishProposalEvents(agreed(a.orgId, [b.orgId]));
    expect(await eventually(() => contactOf(b.orgId, a.token), { what: "B's contact shown to A" })).toEqual({
      email: 'b@fund.example',
    });
    expect(await contactOf(a.orgId, b.token)).toEqual({ email: 'a@coop.example' });
    expect(await contactOf(b.orgId, c.token)).toBeUndefined();
    expect(await contactOf(a.orgId, c.token)).toBeUndefined();
    expect(await contactOf(c.orgId, a.token)).toBeUndefined();
  });

  it('makes every two parties of a triad partners', async () => {
    const need = await h.register();
    const provider = await h.register();
    const funder = await h.register({
      kind: 'financier',
      sseForm: undefined,
      contact: { email: 'f@fund.example' },
    });
    await h.publishProposalEvents(agreed(need.orgId, [provider.orgId, funder.orgId], 'proposal-triad'));
    await h.agreementsProcessed();
    expect(await contactOf(funder.orgId, need.token)).toEqual({ email: 'f@fund.example' });
    expect(await contactOf(funder.orgId, provider.token)).toEqual({ email: 'f@fund.example' });
    expect(await contactOf(need.orgId, funder.token)).toBeDefined();
  });

  it('takes a replayed agreement in its stride: one partnership, nothing else changed', async () => {
    const a = await h.register();
    const b = await h.register();
    const c = await h.register();
    const event = agreed(a.orgId, [b.orgId], 'proposal-replayed');
    await h.publishProposalEvents(event);
    await h.agreementsProcessed();
    const before = await h.stores.partnerships.count();
    const organisations = await h.stores.organisations.count();

    // Redelivered as it was, and published again under a new envelope id.
    await h.publishProposalEvents(event, { ...event, id: `${event.id}-again` });
    await h.agreementsProcessed();
    expect(await h.stores.partnerships.count()).toBe(before);
    expect(await h.stores.organisations.count()).toBe(organisations);
    expect(await h.stores.partnerships.between(b.orgId, a.orgId)).toBe(true);
    expect(await contactOf(b.orgId, a.token)).toBeDefined();
    expect(await contactOf(b.orgId, c.token)).toBeUndefined();
  });
});
