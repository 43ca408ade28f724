// The CLI's paging helper: every page of a listing, in order, each asked for with the previous page's marker.
import { describe, expect, it } from 'vitest';
import { listAll } from '../../src/cli/options.js';

interface Page {
  truncated: boolean;
  nextMarker?: string;
  items: number[];
}

describe('listAll', () => {
  it('walks page after page with the previous nextMarker, until a page is not truncated', async () => {
    const pages: Record<string, Page> = {
      first: { truncated: true, nextMarker: 'm1', items: [1, 2] },
      m1: { truncated: true, nextMarker: 'm2', items: [3] },
      m2: { truncated: false, nextMarker: 'ignored', items: [4, 5] },
    };
    const asked: (string | undefined)[] = [];
    const items = await listAll(
      async (marker) => {
        asked.push(marker);
        return pages[marker ?? 'first']!;
      },
      (page) => page.items,
    );
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'm1', 'm2']);
  });

  it('stops at a truncated page that gives no marker, instead of asking for the first page again', async () => {
    let calls = 0;
    const items = await listAll(
      async () => {
        calls++;
        return { truncated: true, items: [calls] } satisfies Page;
      },
      (page) => page.items,
    );
    expect(items).toEqual([1]);
    expect(calls).toBe(1);
  });
});
