// AdvanceDevClock (Custos only, development mode): moves a development server's clock forward, so tests reach
// deletion windows, rotation periods and expiries without waiting. Must not import anything but TypeBox and the
// contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';

/** At most ten years per call. */
export const MAX_DEV_CLOCK_ADVANCE_SECONDS = 10 * 366 * 24 * 60 * 60;

/** AdvanceDevClock request. */
export const AdvanceDevClockRequest = Type.Object(
  {
    /** Seconds to move the clock forward (0: only run maintenance at the current time). It never goes back. */
    advanceSeconds: Type.Integer({ minimum: 0, maximum: MAX_DEV_CLOCK_ADVANCE_SECONDS }),
  },
  { additionalProperties: false },
);
export type AdvanceDevClockRequest = Static<typeof AdvanceDevClockRequest>;

const Count = Type.Integer({ minimum: 0 });

/** AdvanceDevClock response. */
export const AdvanceDevClockResponse = Type.Object({
  /** The server's time now (real time plus the offset). */
  now: Type.Date(),
  /** How far ahead of real time the server's clock is, in seconds. */
  offsetSeconds: Type.Integer({ minimum: 0 }),
  /**
   * What the maintenance run right after the advance did (keys destroyed past their pending window, rotated,
   * material expired, keyring keys renewed, failures). LocalKms and the server always run it.
   */
  maintenance: Type.Optional(
    Type.Object({ destroyed: Count, rotated: Count, expired: Count, renewed: Count, failed: Count }),
  ),
});
export type AdvanceDevClockResponse = Static<typeof AdvanceDevClockResponse>;

/** The AdvanceDevClock operation: POST /v1/dev/clock (Custos only; DEV_MODE_REQUIRED outside development mode). */
export const advanceDevClockOperation = contractOperation({
  method: 'advanceDevClock',
  name: 'AdvanceDevClock',
  request: AdvanceDevClockRequest,
  response: AdvanceDevClockResponse,
  route: { method: 'POST', path: '/v1/dev/clock' },
  safeToRetry: false, // a retry would move the clock twice
  aws: false,
});
