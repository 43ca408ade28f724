// The recency list behind the key cache's least-recently-used order (service/recency-list.ts).
import { describe, expect, it } from 'vitest';
import { type Recency, RecencyList } from '../../src/service/recency-list.js';

interface Named extends Recency {
  readonly name: string;
}

/** The names oldest first, walking the links both ways (each direction must agree). */
function order(list: RecencyList<Named>): string[] {
  const names: string[] = [];
  let last: Named | undefined;
  for (let at = list.oldest; at; at = at.newer as Named | undefined) {
    expect(at.older).toBe(last);
    names.push(at.name);
    last = at;
  }
  return names;
}

describe('RecencyList', () => {
  it('keeps entries oldest first: push adds the newest, touch moves one to the newest end, remove unlinks', () => {
    const list = new RecencyList<Named>();
    expect(list.oldest).toBeUndefined();
    const [a, b, c] = ['a', 'b', 'c'].map((name): Named => ({ name }));
    list.push(a!);
    list.push(b!);
    list.push(c!);
    expect(order(list)).toEqual(['a', 'b', 'c']);
    list.touch(a!);
    expect(order(list)).toEqual(['b', 'c', 'a']);
    list.touch(a!); // already the newest
    expect(order(list)).toEqual(['b', 'c', 'a']);
    list.touch(c!);
    expect(order(list)).toEqual(['b', 'a', 'c']);
    list.remove(a!);
    expect(order(list)).toEqual(['b', 'c']);
    expect(a!.older).toBeUndefined();
    expect(a!.newer).toBeUndefined();
    list.remove(b!);
    expect(list.oldest).toBe(c);
    list.remove(c!);
    expect(list.oldest).toBeUndefined();
    list.push(b!);
    expect(order(list)).toEqual(['b']);
  });
});
