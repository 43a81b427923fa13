import { fileURLToPath } from 'node:url';
import { loadEnv, ServiceEnv } from '@mutirao/http';
import { z } from 'zod';

/** `<repo>/.data`, the git-ignored data folder, when MUTIRAO_DATA_DIR is not given. */
const defaultDataDir = fileURLToPath(new URL('../../../.data', import.meta.url));

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8081),
  /** Database of this service; no other service reads it. */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-profiles'),
  /** Where the first start writes admin-credentials.json (git-ignored). */
  MUTIRAO_DATA_DIR: z.string().min(1).default(defaultDataDir),
  /** The platform admin created on first start. */
  ADMIN_EMAIL: z.email().default('admin@mutirao.local'),
  /** Set it to choose the admin's password; then no credentials file is written. */
  ADMIN_PASSWORD: z.string().min(10).optional(),
  /** `iss` of the tokens this service issues and expects. */
  JWT_ISSUER: z.string().min(1).default('urn:mutirao:profiles'),
  /** `aud` of the tokens this service issues and expects. */
  JWT_AUDIENCE: z.string().min(1).default('urn:mutirao'),
  /**
   * Another OIDC provider's JWKS: when set, this service verifies tokens against it instead of its
   * own keys (see docs/identity.md). Its own issuer keeps answering at /.well-known/jwks.json.
   */
  JWKS_URL: z.url().optional(),
  /** Lifetime of issued access tokens, in seconds (15 minutes). */
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
