import { type Api, Reply } from '@mutirao/http';
import { AcceptInput, PersonEditInput } from '../domain/organisation-input';
import type { Ctx } from '../usecases/context';
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  listMembers,
  revokeInvitation,
} from '../usecases/members';
import { changePassword, me, removeMember, updateMe } from '../usecases/people';
import { requestPasswordReset, resetPassword } from '../usecases/resets';
import { signIn } from '../usecases/sessions';
import {
  ChangePasswordInput,
  IdParam,
  Invitation,
  InvitationInput,
  InvitationParams,
  InvitationRevoked,
  Joined,
  Jwks,
  Me,
  MemberParams,
  MemberRemoved,
  Members,
  NewPasswordInput,
  PageQuery,
  PasswordChanged,
  PasswordReset,
  PendingInvitations,
  ResetRequested,
  ResetRequestInput,
  Session,
  SignIn,
  TokenParam,
} from './schemas';

const tags = ['identity'];
const NO_STORE = { 'Cache-Control': 'no-store' };
const MEMBER_OR_ADMIN = 'Members of the organisation; the admin for any.';

/** Tokens, accounts and members: thin operations that hand parsed input to the use cases. */
export function identityOperations(api: Api, ctx: Ctx): void {
  api.op({
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'Public keys of the embedded issuer',
    description: 'What other services verify this service’s tokens with.',
    tags,
    access: 'anyone',
    responses: {
      200: { description: 'the key set', schema: Jwks, headers: { 'Cache-Control': 'cached for 5 minutes' } },
    },
    handle: () => new Reply(200, ctx.issuer.jwks(), { 'Cache-Control': 'public, max-age=300' }),
  });

  api.op({
    method: 'post',
    path: '/sessions',
    summary: 'Sign in: a 15-minute access token',
    description:
      'One answer for an unknown address and a wrong password (401). After 5 failures an address is locked for 15 minutes (429 with Retry-After), whether or not it has an account.',
    tags,
    access: 'anyone',
    body: SignIn,
    responses: {
      200: { description: 'an access token', schema: Session, headers: { 'Cache-Control': 'no-store' } },
    },
    refusals: [401, 429],
    handle: async ({ body }) => new Reply(200, await signIn(ctx, body), NO_STORE),
  });

  api.op({
    method: 'get',
    path: '/me',
    summary: 'The caller: the claims of its token, its name, address and language',
    description: 'Name, email and language come from the account, when the token’s `sub` has one here.',
    tags,
    access: 'signed-in',
    responses: { 200: { description: 'the caller', schema: Me } },
    handle: ({ principal }) => me(ctx, principal),
  });

  api.op({
    method: 'patch',
    path: '/me',
    summary: 'Change one’s own name or language',
    description:
      'The language (one of the app’s: en, fr, es, pt) is the one mails are written in. A change publishes the person’s `updated` event.',
    tags,
    access: 'signed-in',
    body: PersonEditInput,
    responses: { 200: { description: 'the caller, changed', schema: Me } },
    refusals: [404, 409],
    handle: ({ principal, body }) => updateMe(ctx, principal, body),
  });

  api.op({
    method: 'post',
    path: '/me/password',
    summary: 'Change one’s own password, giving the current one',
    description:
      'A wrong current password is a 400 at `current` and counts as a failed sign-in of the address: after 5, it is locked for 15 minutes (429).',
    tags,
    access: 'signed-in',
    body: ChangePasswordInput,
    responses: { 200: { description: 'the password is changed', schema: PasswordChanged } },
    refusals: [404, 429],
    handle: ({ principal, body }) => changePassword(ctx, principal, body),
  });

  api.op({
    method: 'post',
    path: '/password-resets',
    summary: 'Ask for a link to set a new password (mailed, 1 hour)',
    description:
      'Always 202 with the same body, whether or not an account has the address. Requests are limited per address and per client (429 with Retry-After), known address or not. For an account, a one-time link is mailed (the `access` topic’s `password-reset-requested` event) in the person’s language, else the request’s; a new request makes earlier links useless.',
    tags,
    access: 'anyone',
    body: ResetRequestInput,
    responses: {
      202: {
        description: 'the same answer for every address',
        schema: ResetRequested,
        headers: { 'Cache-Control': 'no-store' },
      },
    },
    refusals: [429],
    handle: async ({ body, req }) =>
      new Reply(202, await requestPasswordReset(ctx, body, req.ip ?? 'unknown'), NO_STORE),
  });

  api.op({
    method: 'post',
    path: '/password-resets/:token',
    summary: 'Set a new password with a reset link’s token',
    description:
      'The token is the credential and works once, within the hour, if no newer link was asked for (410 otherwise). The same password rules as registration.',
    tags,
    access: 'anyone',
    params: TokenParam,
    body: NewPasswordInput,
    responses: {
      200: { description: 'the password is set; the address to sign in with', schema: PasswordReset },
    },
    refusals: [404, 410],
    handle: ({ params, body }) => resetPassword(ctx, params.token, body),
  });

  api.op({
    method: 'get',
    path: '/organisations/:id/members',
    summary: 'Members of an organisation, a page at a time',
    description: MEMBER_OR_ADMIN,
    tags,
    access: 'signed-in',
    params: IdParam,
    query: PageQuery,
    responses: { 200: { description: 'one page of its members, oldest first', schema: Members } },
    refusals: [403, 404],
    handle: ({ principal, params, query }) => listMembers(ctx, principal, params.id, query),
  });

  api.op({
    method: 'post',
    path: '/organisations/:id/invitations',
    summary: 'Invite someone by mail: a one-time token (7 days)',
    description: `The invitation is mailed to \`email\` (the \`access\` topic’s \`invitation-created\` event) in \`language\`, else the organisation’s first working language the app speaks. The token is answered once too; only its hash is kept. ${MEMBER_OR_ADMIN}`,
    tags,
    access: 'signed-in',
    params: IdParam,
    body: InvitationInput,
    responses: { 201: { description: 'the invitation', schema: Invitation } },
    refusals: [403, 404],
    handle: ({ principal, params, body }) => createInvitation(ctx, principal, params.id, body),
  });

  api.op({
    method: 'get',
    path: '/organisations/:id/invitations',
    summary: 'Invitations nobody has accepted yet, a page at a time',
    description: `Those neither accepted, withdrawn nor expired, oldest first; never their tokens. ${MEMBER_OR_ADMIN}`,
    tags,
    access: 'signed-in',
    params: IdParam,
    query: PageQuery,
    responses: { 200: { description: 'one page of pending invitations', schema: PendingInvitations } },
    refusals: [403, 404],
    handle: ({ principal, params, query }) => listInvitations(ctx, principal, params.id, query),
  });

  api.op({
    method: 'delete',
    path: '/organisations/:id/invitations/:invitationId',
    summary: 'Withdraw an invitation',
    description: `Its link then refuses (410), and the \`access\` topic’s \`invitation-revoked\` event is published. Withdrawing it again changes nothing; an accepted one cannot be (409: remove the member). ${MEMBER_OR_ADMIN}`,
    tags,
    access: 'signed-in',
    params: InvitationParams,
    responses: { 200: { description: 'the invitation is withdrawn', schema: InvitationRevoked } },
    refusals: [403, 404, 409],
    handle: ({ principal, params }) => revokeInvitation(ctx, principal, params.id, params.invitationId),
  });

  api.op({
    method: 'delete',
    path: '/organisations/:id/members/:memberId',
    summary: 'Remove a member',
    description: `The account can no longer sign in and its address is free again; its person is published as removed. The last member cannot be removed (409). Tokens already issued last until they expire. ${MEMBER_OR_ADMIN}`,
    tags,
    access: 'signed-in',
    params: MemberParams,
    responses: { 200: { description: 'the member is removed', schema: MemberRemoved } },
    refusals: [403, 404, 409],
    handle: ({ principal, params }) => removeMember(ctx, principal, params.id, params.memberId),
  });

  api.op({
    method: 'post',
    path: '/invitations/:token/accept',
    summary: 'Join an organisation, or start as a coordinator, with an invitation',
    description:
      'The invitation’s token is the credential: whoever holds it may join, once, with the invited address (`email` may be left out; another address is refused at `email`). A coordinator’s invitation sets the name and password of the coordinator the admin created. Used, withdrawn and expired invitations answer 410.',
    tags,
    access: 'anyone',
    params: TokenParam,
    body: AcceptInput,
    responses: { 201: { description: 'the new member', schema: Joined } },
    refusals: [404, 409, 410],
    handle: ({ params, body }) => acceptInvitation(ctx, params.token, body),
  });
}
