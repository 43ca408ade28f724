// Value conversions shared by the mappers: times, 64-bit integers, flags and bytes, row ⇄ record.
// Must not import service or api.

/** Reads a 64-bit integer column (PostgreSQL's int8 may arrive as a string). */
export function num(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : num(value);
}

export function toDate(ms: number | string | bigint): Date {
  return new Date(num(ms));
}

export function toDateOrNull(ms: number | string | bigint | null): Date | null {
  return ms === null ? null : toDate(ms);
}

export function ms(date: Date): number {
  return date.getTime();
}

export function msOrNull(date: Date | null): number | null {
  return date === null ? null : date.getTime();
}

export function flag(value: boolean): number {
  return value ? 1 : 0;
}

/** A plain Uint8Array copy of what the driver returned (a Buffer), so callers see one type. */
export function bytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

export function bytesOrNull(value: Uint8Array | null): Uint8Array | null {
  return value === null ? null : bytes(value);
}
