import { OrganisationKind, OrganisationSnapshot, VerificationStatus } from '@mutirao/contracts';
import { Role } from '@mutirao/http';
import { KnownRegion } from '@mutirao/reference-data';
import { z } from 'zod';
import { CRITERIA } from '../domain/organisation';
import { AppLanguage, ImportedOrganisation, Password } from '../domain/organisation-input';
import { IMPORT_MAX } from '../usecases/organisations';
import { MAX_PAGE } from '../usecases/paging';

/* What callers send: path, query and bodies (the organisation's own shapes are the domain's). */

const Id = z.string().min(1).max(100);
export const IdParam = z.object({ id: Id });

/** External references: what exchange files use, kept URL-safe. */
export const Ref = z
  .string()
  .regex(/^[A-Za-z0-9._:~-]{1,200}$/, 'letters, digits and . _ : ~ - (at most 200)');
export const RefParam = z.object({ ref: Ref });

/** An invitation's or a password reset's one-time token (43 characters as issued). */
export const TokenParam = z.object({ token: z.string().min(20).max(100) });

export const MemberParams = z.object({ id: Id, memberId: Id });

export const InvitationParams = z.object({ id: Id, invitationId: Id });

export const CriterionParam = z.object({
  id: Id,
  criterion: z.enum(CRITERIA, {
    error: (i) => `unknown criterion "${String(i.input)}"; one of ${CRITERIA.join(', ')}`,
  }),
});

/** `?cursor&limit` of a paginated list; a limit above MAX_PAGE gets MAX_PAGE. */
export const PageQuery = z.strictObject({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).default(20),
});

/** The organisations list: a page, of one verification status when given. */
export const OrganisationListQuery = PageQuery.extend({
  verification: VerificationStatus.optional().meta({
    description: 'Only organisations whose verification has this status (e.g. verified, to revoke one).',
  }),
});

export const NoBody = z.strictObject({});

export const SignIn = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const InvitationInput = z.strictObject({
  /** The invitee's address: the invitation is mailed there, and only it may accept. */
  email: z.email().max(254),
  /** The language of the mail; the organisation's first working language the app speaks when absent. */
  language: AppLanguage.optional(),
});

export const ResetRequestInput = z.strictObject({
  email: z.email().max(254),
  /** The language of the page asking: the mail's when the person chose none. */
  language: AppLanguage.optional(),
});

export const NewPasswordInput = z.strictObject({ password: Password });

export const ChangePasswordInput = z.strictObject({
  current: z.string().min(1).max(256),
  new: Password,
});

const Regions = z.array(KnownRegion).min(1).max(50);

export const CoordinatorInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  /** Without one, the coordinator is invited by mail to choose it. */
  password: Password.optional(),
  regions: Regions,
  /** The language of the invitation's mail and later ones (English when absent). */
  language: AppLanguage.optional(),
});

export const CoordinatorEdit = z.strictObject({ regions: Regions });

const Note = z.string().trim().max(2000);
export const CriterionBody = z.strictObject({ met: z.boolean(), note: Note.min(1) });
export const VerifyBody = z.strictObject({ note: Note.default('') });
export const NoteBody = z.strictObject({ note: Note.min(1) });
export const QuestionBody = z.strictObject({
  question: Note.min(1, 'write the question the organisation is to answer'),
});
export const AnswerBody = z.strictObject({ text: z.string().trim().min(1, 'write your answer').max(4000) });

/** The importer's batch: refs unique within it, every item checked before any is written. */
export const ImportBatch = z.strictObject({
  items: z
    .array(ImportedOrganisation.safeExtend({ ref: Ref }))
    .min(1, 'at least one item')
    .max(IMPORT_MAX, `at most ${IMPORT_MAX} items per request`)
    .superRefine((items, c) => {
      const first = new Map<string, number>();
      items.forEach((item, i) => {
        const seen = first.get(item.ref);
        if (seen === undefined) first.set(item.ref, i);
        else
          c.addIssue({ code: 'custom', path: [i, 'ref'], message: `ref ${item.ref} repeats item ${seen}` });
      });
    }),
});

/* What the service answers, exactly: every success answer of the document is one of these. */

const Timestamp = z.iso.datetime();

export const Contact = z.strictObject({ email: z.string(), phone: z.string().optional() });

/** The public snapshot the events carry, with when it registered and, for those allowed, its contact. */
export const OrganisationView = z
  .strictObject({ ...OrganisationSnapshot.shape, createdAt: Timestamp, contact: Contact.optional() })
  .meta({ id: 'Organisation' });

export const OrganisationPage = z
  .strictObject({
    items: z.array(OrganisationView).max(MAX_PAGE),
    /** The next page's cursor; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'OrganisationPage' });

export const ImportOutcome = z.enum(['created', 'updated', 'unchanged']);

export const Imported = z.strictObject({ result: ImportOutcome, organisation: OrganisationView });

export const ImportResults = z.strictObject({
  results: z.array(z.strictObject({ ref: z.string(), id: z.string(), result: ImportOutcome })),
});

export const Member = z
  .strictObject({ id: z.string(), name: z.string(), email: z.string(), organisationId: z.string() })
  .meta({ id: 'Member' });

export const Members = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), name: z.string(), email: z.string() })).max(MAX_PAGE),
  /** The next page's cursor; null on the last page. */
  nextCursor: z.string().nullable(),
});

/** An invitation nobody has accepted yet: never its token, which only the mail carries. */
export const PendingInvitation = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    language: z.string().optional(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
  })
  .meta({ id: 'PendingInvitation' });

export const PendingInvitations = z.strictObject({
  items: z.array(PendingInvitation).max(MAX_PAGE),
  nextCursor: z.string().nullable(),
});

export const InvitationRevoked = z.strictObject({ id: z.string(), revoked: z.literal(true) });

export const Invitation = z.strictObject({
  id: z.string(),
  /** Shown once: only its hash is kept. The invitation's mail carries it too. */
  token: z.string(),
  organisationId: z.string(),
  /** Where the invitation is mailed, and the address the account will have. */
  email: z.string(),
  /** The language of the mail. */
  language: AppLanguage,
  expiresAt: Timestamp,
});

export const Joined = z.union([
  z.strictObject({ member: Member }),
  z.strictObject({
    coordinator: z.strictObject({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      regions: z.array(z.string()),
    }),
  }),
]);

export const Registered = z.strictObject({ organisation: OrganisationView, member: Member });

export const Session = z.strictObject({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: Timestamp,
  /** Seconds the token is valid for. */
  expiresIn: z.number().int().positive(),
});

/** The verified claims of the calling token, and what its account says of the person (if it has one here). */
export const Me = z.strictObject({
  sub: z.string().min(1),
  org: z.string().min(1).optional(),
  roles: z.array(Role).min(1),
  regions: z.array(z.string()),
  name: z.string().optional(),
  email: z.string().optional(),
  /** The language the person chose; absent when none was. */
  language: AppLanguage.optional(),
});

export const PasswordChanged = z.strictObject({ changed: z.literal(true) });

export const MemberRemoved = z.strictObject({ id: z.string(), removed: z.literal(true) });

/** The one answer to a reset request, whether or not an account has the address. */
export const ResetRequested = z.strictObject({ detail: z.string() });

/** A password set with a reset link: the account's address, to sign in with. */
export const PasswordReset = z.strictObject({ email: z.string() });

/** The embedded issuer's public keys (RFC 7517): Ed25519 keys, never their private part. */
export const Jwks = z.strictObject({
  keys: z.array(
    z.strictObject({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: z.string(),
      kid: z.string(),
      alg: z.literal('EdDSA'),
      use: z.literal('sig'),
    }),
  ),
});

export const Coordinator = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    roles: z.array(z.literal('coordinator')),
    regions: z.array(z.string()),
    language: AppLanguage.optional(),
    /** `invited` until the coordinator accepts the invitation and chooses a password. */
    status: z.enum(['invited', 'active']),
  })
  .meta({ id: 'Coordinator' });

export const CoordinatorCreated = z.strictObject({
  ...Coordinator.shape,
  /** When no password was given: the invitation mailed (its token shown once, here too). */
  invitation: z.strictObject({ id: z.string(), token: z.string(), expiresAt: Timestamp }).optional(),
});

export const Coordinators = z.strictObject({
  items: z.array(Coordinator).max(MAX_PAGE),
  nextCursor: z.string().nullable(),
});

export const CoordinatorRemoved = z.strictObject({ id: z.string(), removed: z.literal(true) });

const Decision = z.strictObject({
  status: VerificationStatus,
  note: z.string(),
  by: z.string(),
  at: Timestamp,
  /** A reopening's judged fields whose change sent the organisation back to the queue. */
  changed: z.array(z.string()).optional(),
});

export const Review = z
  .strictObject({
    organisationId: z.string(),
    kind: OrganisationKind,
    country: z.string(),
    revision: z.number().int().positive(),
    status: VerificationStatus,
    /** The ILO 2022 criteria as recorded, one entry per criterion. */
    criteria: z.array(
      z.strictObject({
        criterion: z.enum(CRITERIA),
        met: z.boolean(),
        note: z.string(),
        by: z.string(),
        at: Timestamp,
      }),
    ),
    /** The last decision. */
    decision: Decision.optional(),
    /** For SSE entities: the criteria that stand in the way of verifying. */
    unmet: z.array(z.string()).optional(),
    /** Questions coordinators asked the organisation during the review, with its answers, oldest first. */
    questions: z.array(
      z.strictObject({
        question: z.string(),
        by: z.string(),
        at: Timestamp,
        answer: z.strictObject({ text: z.string(), by: z.string(), at: Timestamp }).optional(),
      }),
    ),
  })
  .meta({ id: 'Review' });
