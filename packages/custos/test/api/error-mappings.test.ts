import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@custos/contract';
import { AWS_EXCEPTION } from '../../src/api/aws/errors.js';
import { HTTP_STATUS } from '../../src/api/errors/http-status.js';

const DOC = new URL('../../../../docs/errors.md', import.meta.url);

/** Rows of docs/errors.md: code -> { http, aws }. */
function documentedMappings(): Map<string, { http: number; aws: string }> {
  const rows = new Map<string, { http: number; aws: string }>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim().replaceAll('`', ''));
    if (cells.length < 6 || !/^[A-Z_]+$/.test(cells[1] ?? '')) continue;
    rows.set(cells[1]!, { http: Number(cells[3]), aws: cells[4]! });
  }
  return rows;
}

describe('error mappings', () => {
  const doc = documentedMappings();

  it('documents every code exactly once', () => {
    expect([...doc.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each([...ERROR_CODES])('%s has the documented AWS exception and HTTP status', (code) => {
    expect(AWS_EXCEPTION[code]).toBe(doc.get(code)?.aws);
    expect(HTTP_STATUS[code]).toBe(doc.get(code)?.http);
  });

  it('uses AWS exception names of the documented form', () => {
    for (const name of Object.values(AWS_EXCEPTION)) expect(name).toMatch(/^[A-Z][A-Za-z]+Exception$/);
  });
});
