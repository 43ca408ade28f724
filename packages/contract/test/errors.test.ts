import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CLASS_BY_CODE, ERROR_CODES, KmsError, errorFromCode, type ErrorCode } from '../src/errors.js';

interface DocRow {
  code: string;
  className: string;
  status: number;
  awsException: string;
}

/** Rows of the table in docs/errors.md: `| \`CODE\` | \`Class\` | status | \`AwsException\` | meaning |`. */
function readDocRows(): DocRow[] {
  const markdown = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');
  const rows: DocRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([A-Z_]+)`\s*\|\s*`(\w+)`\s*\|\s*(\d{3})\s*\|\s*`(\w+)`\s*\|/.exec(line);
    if (match) rows.push({ code: match[1]!, className: match[2]!, status: Number(match[3]), awsException: match[4]! });
  }
  return rows;
}

describe('docs/errors.md', () => {
  const rows = readDocRows();

  it('lists exactly the codes of ERROR_CODES, each once', () => {
    const documented = rows.map((row) => row.code);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('names the class that errorFromCode builds for each code', () => {
    for (const row of rows) {
      expect(errorFromCode(row.code, 'x').constructor.name, row.code).toBe(row.className);
    }
  });

  it('gives each code an HTTP status and an AWS exception name', () => {
    for (const row of rows) {
      expect(row.status >= 400 && row.status <= 599, row.code).toBe(true);
      expect(row.awsException, row.code).toMatch(/Exception$/);
    }
    expect(rows.find((row) => row.code === 'INTERNAL')?.status).toBe(500);
  });
});

describe('errorFromCode', () => {
  it.each(ERROR_CODES.map((code) => [code]))('rebuilds %s with its class and code', (code: ErrorCode) => {
    const error = errorFromCode(code, 'message');
    const direct = ERROR_CLASS_BY_CODE[code]('message');
    expect(error).toBeInstanceOf(KmsError);
    expect(error).toBeInstanceOf(direct.constructor);
    expect(error.code).toBe(code);
    expect(error.name).toBe(direct.constructor.name);
  });

  it('turns an unknown code into INTERNAL', () => {
    expect(errorFromCode('NO_SUCH_CODE', 'message').code).toBe('INTERNAL');
  });

  it('gives INVALID_CIPHERTEXT its one fixed message whatever the message received', () => {
    expect(errorFromCode('INVALID_CIPHERTEXT', 'tag mismatch').message).not.toContain('tag');
  });
});
