import type { z } from 'zod';
import { type FieldProblem, ValidationError } from './errors';

const pathOf = (path: readonly PropertyKey[]): string =>
  path.length ? path.map(String).join('.') : '(body)';

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      return { path: pathOf(i.path), message: `unknown field(s): ${i.keys.join(', ')}` };
    }
    return { path: pathOf(i.path), message: i.message };
  });
}

/** Parses with a strict schema; a failure is a 400 that names every field and why. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const errors = zodProblems(r.error);
  const first = errors[0];
  const detail = first ? `Invalid ${what}: ${first.path}: ${first.message}` : `Invalid ${what}`;
  throw new ValidationError(errors.length > 1 ? `${detail} (and ${errors.length - 1} more)` : detail, errors);
}
