// AdvanceDevClock (development mode): moves the server's clock forward (kept in the store, so a restart does not move
// it back). LocalKms runs maintenance right after (local-kms.ts), so the windows the move passed close at once.
// Must not import api.
import { advanceDevClockOperation, DevModeError } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const advanceDevClock = defineOperation(
  advanceDevClockOperation,
  { access: 'dev', states: null },
  async (ctx, input) => {
    const dev = ctx.dev;
    if (!dev)
      throw new DevModeError(
        'AdvanceDevClock needs a server in development mode (custos server --dev)',
        'DEV_MODE_REQUIRED',
      );
    const offsetSeconds = Math.floor(dev.offsetMs / 1000) + input.advanceSeconds;
    ctx.audit.details = { advanceSeconds: input.advanceSeconds, offsetSeconds };
    await dev.advance((fn) => ctx.transaction(fn), input.advanceSeconds * 1000);
    return { now: dev.now(), offsetSeconds: Math.floor(dev.offsetMs / 1000) };
  },
);
