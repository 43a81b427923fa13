import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';

export interface TestPrincipal {
  sub: string;
  org?: string;
  roles: ('member' | 'coordinator' | 'admin')[];
  regions?: string[];
}

export interface TestIssuer {
  /** Public keys, for `createVerifier({ jwks })`. */
  jwks: JSONWebKeySet;
  /** A signed EdDSA token; `expiresIn` like '15m' or a negative number of seconds for an expired one. */
  sign(p: TestPrincipal, opts?: { expiresIn?: string | number }): Promise<string>;
}

/** A throw-away EdDSA token issuer, so a service's tests need no running profiles service. */
export async function testIssuer(kid = 'test-key'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    async sign(p, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const exp = typeof opts.expiresIn === 'number' ? now + opts.expiresIn : (opts.expiresIn ?? '15m');
      return new SignJWT({ org: p.org, roles: p.roles, regions: p.regions ?? [] })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(p.sub)
        .setIssuedAt(typeof exp === 'number' ? exp - 900 : now)
        .setExpirationTime(exp)
        .sign(privateKey);
    },
  };
}
