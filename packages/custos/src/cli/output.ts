// What commands print on stdout: JSON for scripts (--json), aligned tables and field lists for people.
// Must not import the store, service or api; binary goes through io.ts, never through here.

/** JSON with bytes as base64 and dates as ISO 8601 (the JSON forms RemoteKms's wire codec uses too). */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    function replacer(this: Record<string, unknown>, key: string, v: unknown) {
      const raw = this[key];
      if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
      if (raw instanceof Date) return raw.toISOString();
      if (typeof raw === 'bigint') return raw.toString();
      return v;
    },
    indent,
  );
}

/** Prints a value as JSON, one document per call. */
export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

/** A cell as people read it: dates ISO, arrays comma-joined, absent as '-'. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects were handled above: a primitive is left
  return String(value);
}

/** One column of {@link printTable}: a header and how to read the cell from a row. */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

/**
 * Prints rows as a table with a header line and columns padded to their widest cell.
 *
 * @example
 * printTable(keys, [{ header: 'KEY ID', value: (k) => k.keyId }, { header: 'STATE', value: (k) => k.keyState }]);
 */
export function printTable<T>(rows: readonly T[], columns: readonly Column<T>[]): void {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(columns.map((c) => c.header)), ...cells.map(line)].join('\n')}\n`);
}

/** Prints label/value pairs, one per line, labels aligned. */
export function printFields(fields: readonly (readonly [string, unknown])[]): void {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  process.stdout.write(`${fields.map(([label, value]) => `${label.padEnd(width)}  ${cell(value)}`).join('\n')}\n`);
}

/** Prints a result: JSON with --json, else what `human` prints. */
export function printResult<T>(json: boolean | undefined, value: T, human: (value: T) => void): void {
  if (json) printJson(value);
  else human(value);
}

/** What a text-writing command (a JWS, a PEM, a JWK) writes: its text, or under --json the whole result as JSON. */
export function textOrJson(json: boolean | undefined, value: unknown, text: string): Buffer {
  return Buffer.from(json ? `${toJson(value)}\n` : text, 'utf8');
}
