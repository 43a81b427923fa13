import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier } from '@mutirao/http';
import { createLogger } from '@mutirao/telemetry';
import { testIssuer } from '@mutirao/testing';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, ensureAdmin } from '../identity/admin';
import { createIssuer, newSigningKey } from '../identity/issuer';
import { type Harness, PASSWORD, startHarness, uniqueEmail } from '../test-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
const tempDirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'mutirao-admin-'));
  tempDirs.push(d);
  return d;
};
afterAll(async () => {
  await h.stop();
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

const problem = (res: request.Response, status: number, detail: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.stringMatching(detail) });
};

describe('tokens', () => {
  it('publishes the public key, and only the public key, at /.well-known/jwks.json', async () => {
    const res = await request(h.app).get('/.well-known/jwks.json').expect(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      kid: expect.any(String),
    });
    expect(res.body.keys[0]).not.toHaveProperty('d');
  });

  it('issues 15-minute EdDSA tokens with sub, org, roles, issuer and audience', async () => {
    const { orgId, token } = await h.register();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      org: orgId,
      roles: ['member'],
      iss: 'urn:mutirao:profiles',
      aud: 'urn:mutirao',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
  });

  it('refuses a request without a token', async () => {
    const { orgId } = await h.register();
    problem(await request(h.app).get(`/organisations/${orgId}`), 401, /Authorization: Bearer/);
  });

  it('refuses an expired token', async () => {
    const { orgId } = await h.register();
    const key = await h.stores.keys.loadOrCreate(newSigningKey, new Date());
    const anHourAgo = await createIssuer({
      key,
      issuer: 'urn:mutirao:profiles',
      audience: 'urn:mutirao',
      ttlSeconds: 900,
      now: () => new Date(Date.now() - 3600_000),
    });
    const { token } = await anHourAgo.sign({ sub: 'x', org: orgId, roles: ['member'] });
    problem(
      await request(h.app).get(`/organisations/${orgId}`).set('authorization', `Bearer ${token}`),
      401,
      /expired/,
    );
  });

  it('refuses a token signed by another key', async () => {
    const { orgId } = await h.register();
    // Same kid as ours, so the key is found and the signature itself is what fails.
    const other = await testIssuer(h.issuer.jwks().keys[0]?.kid);
    const token = await other.sign({ sub: 'x', org: orgId, roles: ['admin'] });
    problem(
      await request(h.app).get(`/organisations/${orgId}`).set('authorization', `Bearer ${token}`),
      401,
      /not signed by a key this service trusts/,
    );
  });

  it('keeps tokens valid across a restart: the key pair is persisted', async () => {
    const { token } = await h.register();
    const reloaded = await h.stores.keys.loadOrCreate(newSigningKey, new Date());
    expect(reloaded.kid).toBe(h.issuer.jwks().keys[0]?.kid);
    const restarted = await createIssuer({
      key: reloaded,
      issuer: 'urn:mutirao:profiles',
      audience: 'urn:mutirao',
      ttlSeconds: 900,
      now: () => new Date(),
    });
    const verify = createVerifier({
      jwks: restarted.jwks(),
      issuer: 'urn:mutirao:profiles',
      audience: 'urn:mutirao',
    });
    await expect(verify(token)).resolves.toMatchObject({ roles: ['member'] });
  });
});

describe('signing in', () => {
  it('answers the same for an unknown address and a wrong password', async () => {
    const { email } = await h.register();
    const wrong = await request(h.app).post('/sessions').send({ email, password: 'not the password' });
    const unknown = await request(h.app)
      .post('/sessions')
      .send({ email: uniqueEmail('nobody'), password: PASSWORD });
    problem(wrong, 401, /^Email or password is wrong\.$/);
    problem(unknown, 401, /^Email or password is wrong\.$/);
  });

  it('locks an address for 15 minutes after 5 failures, even for the right password, then lets it in', async () => {
    const { email } = await h.register();
    for (let i = 1; i <= 4; i++)
      expect(
        (
          await request(h.app)
            .post('/sessions')
            .send({ email, password: `wrong ${i}` })
        ).status,
      ).toBe(401);
    problem(await request(h.app).post('/sessions').send({ email, password: 'wrong 5' }), 429, /locked until/);
    const locked = await request(h.app).post('/sessions').send({ email, password: PASSWORD });
    problem(locked, 429, /Too many failed sign-ins/);
    expect(locked.body.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers['retry-after'])).toBe(Math.ceil(locked.body.retryAfterSeconds));
    h.clock.offsetMs = 15 * 60_000 + 1_000;
    try {
      expect((await request(h.app).post('/sessions').send({ email, password: PASSWORD })).status).toBe(200);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('locks unknown addresses the same way, so a lock tells nothing about who has an account', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 1; i <= 4; i++)
      expect((await request(h.app).post('/sessions').send({ email, password: 'whatever1' })).status).toBe(
        401,
      );
    expect((await request(h.app).post('/sessions').send({ email, password: 'whatever1' })).status).toBe(429);
  });

  it('refuses unknown fields in the body', async () => {
    const res = await request(h.app)
      .post('/sessions')
      .send({ email: 'a@b.example', password: 'x', remember: true });
    problem(res, 400, /unknown field\(s\): remember/);
  });
});

describe('the platform admin and coordinators', () => {
  const logger = createLogger('admin-test', 'silent');

  it('creates the admin once, writing its credentials once with mode 0600', async () => {
    const dataDir = await tempDir();
    const email = uniqueEmail('admin');
    const opts = {
      accounts: h.stores.accounts,
      topic: h.topics.person,
      email,
      dataDir,
      now: () => new Date(),
      logger,
    };
    expect(await ensureAdmin(opts)).toBe('created');
    const file = join(dataDir, CREDENTIALS_FILE);
    const written = await readFile(file, 'utf8');
    const creds = JSON.parse(written) as { email: string; password: string };
    expect(creds.email).toBe(email);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await ensureAdmin(opts)).toBe('exists');
    expect(await readFile(file, 'utf8')).toBe(written);
    const token = await h.signIn(email, creds.password);
    expect(decodeJwt(token)).toMatchObject({ roles: ['admin'] });
    expect(decodeJwt(token)).not.toHaveProperty('org');
  });

  it('uses ADMIN_PASSWORD when given and writes nothing; refuses to overwrite a file for another admin', async () => {
    const dataDir = await tempDir();
    const email = uniqueEmail('admin');
    await ensureAdmin({
      accounts: h.stores.accounts,
      topic: h.topics.person,
      email,
      password: 'chosen password 1',
      dataDir,
      now: () => new Date(),
      logger,
    });
    await expect(stat(join(dataDir, CREDENTIALS_FILE))).rejects.toThrow(/ENOENT/);
    await h.signIn(email, 'chosen password 1');
    await writeFile(
      join(dataDir, CREDENTIALS_FILE),
      JSON.stringify({ email: 'someone@else.example', password: 'x' }),
    );
    await expect(
      ensureAdmin({
        accounts: h.stores.accounts,
        topic: h.topics.person,
        email: uniqueEmail('admin'),
        dataDir,
        now: () => new Date(),
        logger,
      }),
    ).rejects.toThrow(/remove it, or set ADMIN_PASSWORD/);
  });

  it('lets the admin create a coordinator whose token carries its regions', async () => {
    const admin = await h.staff('admin');
    const email = uniqueEmail('coord');
    const res = await request(h.app)
      .post('/coordinators')
      .set('authorization', `Bearer ${admin}`)
      .send({ name: 'Awa', email, password: PASSWORD, regions: ['Western Africa', 'Africa'] })
      .expect(201);
    expect(res.body).toMatchObject({
      roles: ['coordinator'],
      regions: ['Western Africa', 'Africa'],
      status: 'active',
    });
    expect(res.body).not.toHaveProperty('invitation');
    const token = await h.signIn(email, PASSWORD);
    expect(decodeJwt(token)).toMatchObject({ roles: ['coordinator'], regions: ['Western Africa', 'Africa'] });
  });

  it('refuses an unknown M49 region, and anyone but the admin, storing nothing', async () => {
    const admin = await h.staff('admin');
    const before = await h.counts();
    const bad = await request(h.app)
      .post('/coordinators')
      .set('authorization', `Bearer ${admin}`)
      .send({ name: 'X', email: uniqueEmail(), regions: ['Africa', 'Atlantis'] });
    problem(bad, 400, /regions\.1: unknown UN M49 region or sub-region name "Atlantis"/);
    const coordinator = await h.staff('coordinator', ['Africa']);
    const afterStaff = await h.counts();
    const notAdmin = await request(h.app)
      .post('/coordinators')
      .set('authorization', `Bearer ${coordinator}`)
      .send({ name: 'X', email: uniqueEmail(), regions: ['Africa'] });
    problem(notAdmin, 403, /admin role/);
    expect(afterStaff.accounts).toBe(before.accounts + 1);
    expect(await h.counts()).toEqual(afterStaff);
  });
});
