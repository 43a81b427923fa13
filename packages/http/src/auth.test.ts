import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, verifierFromEnv } from './auth';

async function issuer() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
  const sign = (claims: Record<string, unknown>, expiresAt: Date) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject('m1')
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(privateKey);
  return { jwks: { keys: [jwk] }, sign };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('token verification', () => {
  it('answers a token seen again from its trust, but never past the token’s expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T10:00:00Z'));
    const { jwks, sign } = await issuer();
    const verify = createVerifier({ jwks });
    const token = await sign({ org: 'o1', roles: ['member'] }, new Date('2026-11-30T10:00:30Z'));
    expect(await verify(token)).toMatchObject({ sub: 'm1', org: 'o1', roles: ['member'] });
    vi.setSystemTime(new Date('2026-11-30T10:00:20Z'));
    expect((await verify(token)).org).toBe('o1');
    vi.setSystemTime(new Date('2026-11-30T10:00:31Z'));
    await expect(verify(token)).rejects.toThrow(/expired/);
  });

  it('checks any other token in full, even one that differs from a trusted one by its signature', async () => {
    const { jwks, sign } = await issuer();
    const other = await issuer();
    const verify = createVerifier({ jwks });
    const later = new Date(Date.now() + 60_000);
    const token = await sign({ roles: ['admin'] }, later);
    await verify(token);
    const forged = await other.sign({ roles: ['admin'] }, later);
    await expect(verify(forged)).rejects.toThrow(/not signed by a key this service trusts/);
    const [head, body] = token.split('.');
    await expect(verify(`${head}.${body}.${'A'.repeat(86)}`)).rejects.toThrow(/not signed by a key/);
  });

  it('gives each caller its own principal: changing one does not change the next', async () => {
    const { jwks, sign } = await issuer();
    const verify = createVerifier({ jwks });
    const token = await sign({ roles: ['coordinator'], regions: ['Africa'] }, new Date(Date.now() + 60_000));
    const first = await verify(token);
    first.regions.push('Europe');
    first.roles.push('admin');
    expect(await verify(token)).toMatchObject({ roles: ['coordinator'], regions: ['Africa'] });
  });
});

describe('a service’s verifier from its settings', () => {
  it('trusts the inline key set over the URL, and checks the issuer and audience it is given', async () => {
    const { jwks, sign } = await issuer();
    // A URL nothing answers on: the inline keys must be the ones used.
    const verify = verifierFromEnv({
      JWKS_URL: 'http://127.0.0.1:9/jwks.json',
      JWKS_JSON: jwks,
      JWT_ISSUER: 'urn:mutirao:profiles',
    });
    const later = new Date(Date.now() + 60_000);
    expect((await verify(await sign({ iss: 'urn:mutirao:profiles', roles: ['member'] }, later))).sub).toBe(
      'm1',
    );
    await expect(verify(await sign({ iss: 'urn:elsewhere', roles: ['member'] }, later))).rejects.toThrow();
  });
});
