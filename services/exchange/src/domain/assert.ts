/** Ends a switch over a union so that a new member breaks the build. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
