// AWS pagination fields from a store page: NextMarker only when Truncated.
// Must not import api.
import type { Page } from '../store/types.js';

export function pageResponse(page: Page<unknown>): { truncated: boolean; nextMarker?: string } {
  return page.next ? { truncated: true, nextMarker: page.next } : { truncated: false };
}
