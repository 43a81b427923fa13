import { conflict, notFound } from '@mutirao/kernel';
import { type Person, type PersonChange, removePerson } from './person';

/**
 * Removing a member of an organisation. Every member acts for the organisation (invites, removes,
 * posts): there is no organisation-level role, so the rule that keeps an organisation manageable
 * is that it keeps at least one member, who may invite others.
 */
export function decideMemberRemoval(
  account: Person | undefined,
  activeMembers: number,
  orgId: string,
  memberId: string,
  at: Date,
): { prev: Person; change: PersonChange } {
  if (!account || account.org !== orgId || account.removedAt)
    throw notFound(`No member ${memberId} in organisation ${orgId}.`);
  if (activeMembers <= 1)
    throw conflict('This is the organisation’s last member: invite another one before removing it.');
  return { prev: account, change: removePerson(account, at) };
}
