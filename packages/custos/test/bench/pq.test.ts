// bench/pq.ts, shortened: every implementation this Node has and every parameter set gives a positive rate, beside
// the classical baseline (needs `npm run build`: it loads the compiled core, as the server runs it).
import { describe, expect, it } from 'vitest';
import { benchPq, formatPqTable } from '../../bench/pq.js';
import { PQ_IMPLEMENTATIONS } from '../../src/core/pq/implementation.js';

describe('post-quantum micro-benchmark', () => {
  it('measures sign/verify and encapsulate/decapsulate on each implementation, and the baseline', async () => {
    const rows = await benchPq(0.02);
    const table = formatPqTable(rows);
    console.log(table);
    for (const impl of PQ_IMPLEMENTATIONS)
      for (const algorithm of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'])
        expect(rows.filter((r) => r.implementation === impl.name && r.algorithm === algorithm)).toHaveLength(2);
    expect(rows.filter((r) => r.implementation.startsWith('baseline'))).toHaveLength(5);
    for (const r of rows) expect(r.opsPerSecond).toBeGreaterThan(0);
    expect(table.split('\n')).toHaveLength(rows.length + 2);
  });
});
