import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('the matching settings', () => {
  it('verify tokens against the profiles service’s keys by default, as every service does', () => {
    const c = loadConfig({});
    expect(c.JWKS_URL).toBe('http://127.0.0.1:8081/.well-known/jwks.json');
    expect(c.JWKS_JSON).toBeUndefined();
  });

  it('take a key set given inline, and refuse one that is not a JSON Web Key Set, naming the setting', () => {
    const keys = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }] };
    expect(loadConfig({ JWKS_JSON: JSON.stringify(keys) }).JWKS_JSON).toEqual(keys);
    expect(() => loadConfig({ JWKS_JSON: 'not json' })).toThrow(/JWKS_JSON/);
    expect(() => loadConfig({ JWKS_JSON: '{"nope":1}' })).toThrow(/JWKS_JSON/);
  });
});
