import { randomUUID } from 'node:crypto';
import type { Role } from '@mutirao/http';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';

/** The embedded issuer's key pair, as stored (JWK). */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const meta = { kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

export interface TokenClaims {
  sub: string;
  org?: string;
  roles: Role[];
  regions?: string[];
}

export interface TokenIssuer {
  /** Public keys, served at `/.well-known/jwks.json` and used by this service's own verifier. */
  jwks(): JSONWebKeySet;
  sign(claims: TokenClaims): Promise<{ token: string; expiresAt: Date; expiresIn: number }>;
}

export interface IssuerOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: () => Date;
}

/** Short-lived EdDSA access tokens carrying what the access rules need: sub, org, roles, regions. */
export async function createIssuer(opts: IssuerOptions): Promise<TokenIssuer> {
  const privateKey = await importJWK(opts.key.privateJwk, 'EdDSA');
  const { d: _private, ...publicOnly } = opts.key.publicJwk;
  const jwks: JSONWebKeySet = { keys: [publicOnly] };
  return {
    jwks: () => jwks,
    async sign(c) {
      const iat = Math.floor(opts.now().getTime() / 1000);
      const exp = iat + opts.ttlSeconds;
      const token = await new SignJWT({
        ...(c.org ? { org: c.org } : {}),
        roles: c.roles,
        ...(c.regions?.length ? { regions: c.regions } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid: opts.key.kid, typ: 'at+jwt' })
        .setSubject(c.sub)
        .setIssuer(opts.issuer)
        .setAudience(opts.audience)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(privateKey);
      return { token, expiresAt: new Date(exp * 1000), expiresIn: opts.ttlSeconds };
    },
  };
}
