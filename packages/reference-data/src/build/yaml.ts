/**
 * The subset of YAML that open-sdg's translation files use: one `key: plain scalar` per entry,
 * long values folded onto indented continuation lines. Anything else (quotes, block scalars,
 * nesting) throws, so that a change of format upstream is noticed at conversion time.
 */
export function parseFlatYaml(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  let key: string | undefined;
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) {
      if (key === undefined) throw new Error(`YAML line ${i + 1}: continuation without a key`);
      entries.set(key, `${entries.get(key) ?? ''} ${line.trim()}`);
      continue;
    }
    const match = /^([A-Za-z0-9_.-]+):\s+(.*)$/.exec(line);
    const value = match?.[2];
    if (!match?.[1] || value === undefined || /^['"|>&*!#[{-]/.test(value) || / #/.test(value)) {
      throw new Error(`YAML line ${i + 1} is outside the supported subset: ${line}`);
    }
    key = match[1];
    if (entries.has(key)) throw new Error(`YAML line ${i + 1}: duplicate key ${key}`);
    entries.set(key, value.trim());
  }
  return entries;
}
