import { parse } from '@mutirao/http';
import type { Request } from 'express';
import { z } from 'zod';
import { MAX_PAGE } from '../usecases/paging';

const Id = z.string().min(1).max(100);
/** External references: what exchange files use, kept URL-safe. */
export const Ref = z
  .string()
  .regex(/^[A-Za-z0-9._:~-]{1,200}$/, 'letters, digits and . _ : ~ - (at most 200)');

export const idParam = (req: Request): string => parse(z.object({ id: Id }), req.params, 'path').id;
export const body = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> =>
  parse(schema, req.body ?? {});

/** `?cursor&limit` of a paginated list. */
export const Page = z.strictObject({
  cursor: z.string().min(1).max(100).optional(),
  // Capped rather than refused: a client asking for more gets the largest page.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, MAX_PAGE)),
});
