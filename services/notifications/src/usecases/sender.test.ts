import { describe, expect, it } from 'vitest';
import { classify } from './sender';

describe('what a failed send says', () => {
  const err = (code: string | undefined, responseCode?: number, message = 'x') =>
    Object.assign(new Error(message), { code, ...(responseCode ? { responseCode } : {}) });

  it('takes an unreachable or silent server for an outage: every mail waits for it', () => {
    for (const code of ['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ECONNRESET'])
      expect(classify(err(code)), code).toMatchObject({ connection: true, permanent: false });
    expect(classify(new Error('socket hang up'))).toMatchObject({ connection: true });
  });

  it('takes a 5xx for a refusal of this mail for good, and a 4xx or an envelope error for this mail only', () => {
    expect(classify(err('EENVELOPE', 550))).toMatchObject({ connection: false, permanent: true });
    expect(classify(err('EMESSAGE', 451))).toMatchObject({ connection: false, permanent: false });
    // nodemailer's own refusal of an address names no answer: not the server's fault.
    expect(classify(err('EENVELOPE'))).toMatchObject({ connection: false, permanent: false });
    expect(classify(err('ESOCKET', undefined, 'connect ECONNREFUSED 127.0.0.1:1025')).text).toBe(
      'ESOCKET: connect ECONNREFUSED 127.0.0.1:1025',
    );
  });
});
