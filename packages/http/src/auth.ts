import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { Forbidden, Unauthorized } from './errors';

export const Role = z.enum(['member', 'coordinator', 'admin']);
export type Role = z.infer<typeof Role>;

/** Who is calling, from a verified token. */
export const Principal = z.object({
  sub: z.string().min(1),
  /** The member's organisation; absent for staff accounts (coordinators, admins). */
  org: z.string().min(1).optional(),
  roles: z.array(Role).min(1),
  /** M49 region, sub-region or intermediate region names a coordinator acts in. */
  regions: z.array(z.string()).default([]),
});
export type Principal = z.infer<typeof Principal>;

export interface VerifierOptions {
  /** The issuer's keys: a JWKS URL (any OIDC provider) or, in tests, a key set. */
  jwks: URL | JSONWebKeySet;
  issuer?: string;
  audience?: string;
  /**
   * How long a verified token is taken on trust without checking its signature again (never past
   * its `exp`): a key the issuer withdraws stops being trusted this much later at most. 0: always
   * verify.
   */
  trustMs?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** A service's verifier from its `VerifierEnv` settings: the inline key set if given, else the JWKS URL. */
export function verifierFromEnv(config: {
  JWKS_URL: string;
  JWKS_JSON?: JSONWebKeySet | undefined;
  JWT_ISSUER?: string | undefined;
  JWT_AUDIENCE?: string | undefined;
}): TokenVerifier {
  return createVerifier({
    jwks: config.JWKS_JSON ?? new URL(config.JWKS_URL),
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  });
}

/**
 * Services only verify tokens, against a JWKS: the embedded issuer of the profiles service by
 * default, any OIDC provider in production (`JWKS_URL`, `JWT_ISSUER`, `JWT_AUDIENCE`).
 */
export function createVerifier(opts: VerifierOptions): TokenVerifier {
  const keys =
    opts.jwks instanceof URL
      ? createRemoteJWKSet(opts.jwks, { cooldownDuration: 5_000 })
      : createLocalJWKSet(opts.jwks);
  // Every request carries its token, and a signature check costs more than the rest of a small
  // request (bench/system: 6 % of the exchange's CPU at 100 posts/s). A token seen again within
  // `trustMs` is answered from here. Keyed by the whole token: any change to it is a miss.
  const trustMs = opts.trustMs ?? 60_000;
  const verified = new LRUCache<string, { principal: Principal; expiresAt: number }>({
    max: 10_000,
    ttl: Math.max(1, trustMs),
  });
  return async (token) => {
    const hit = trustMs > 0 ? verified.get(token) : undefined;
    // A copy: a caller that changes its principal must not change the next request's.
    if (hit && hit.expiresAt > Date.now())
      return { ...hit.principal, roles: [...hit.principal.roles], regions: [...hit.principal.regions] };
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ['EdDSA', 'RS256', 'ES256'],
        ...(opts.issuer ? { issuer: opts.issuer } : {}),
        ...(opts.audience ? { audience: opts.audience } : {}),
      });
      const p = Principal.safeParse(payload);
      if (!p.success) throw new Unauthorized('The token does not carry sub and roles.');
      if (trustMs > 0)
        verified.set(token, {
          principal: { ...p.data, roles: [...p.data.roles], regions: [...p.data.regions] },
          expiresAt: payload.exp !== undefined ? payload.exp * 1000 : Number.POSITIVE_INFINITY,
        });
      return p.data;
    } catch (err) {
      if (err instanceof Unauthorized) throw err;
      if (err instanceof joseErrors.JWTExpired)
        throw new Unauthorized('The token has expired; sign in again.');
      if (
        err instanceof joseErrors.JWSSignatureVerificationFailed ||
        err instanceof joseErrors.JWKSNoMatchingKey
      ) {
        throw new Unauthorized('The token is not signed by a key this service trusts.');
      }
      if (err instanceof joseErrors.JWTClaimValidationFailed)
        throw new Unauthorized(`The token is not valid here: ${err.message}`);
      throw new Unauthorized('The token could not be verified.');
    }
  };
}

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/** Requires `Authorization: Bearer <token>`; sets `req.principal`. */
export function requireAuth(verify: TokenVerifier): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m?.[1]) {
      next(new Unauthorized('Sign in first: this needs an Authorization: Bearer token.'));
      return;
    }
    verify(m[1]).then(
      (p) => {
        req.principal = p;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** The verified caller; a route behind `requireAuth` always has one. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new Unauthorized();
  return req.principal;
}

export const hasRole = (p: Principal, role: Role): boolean => p.roles.includes(role);

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const p = req.principal;
    if (!p) return next(new Unauthorized());
    if (!roles.some((r) => p.roles.includes(r)))
      return next(new Forbidden(`This needs the ${roles.join(' or ')} role.`));
    next();
  };
}
