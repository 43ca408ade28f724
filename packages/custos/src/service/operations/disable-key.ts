// DisableKey: Enabled -> Disabled (a no-op when already Disabled, as in AWS).
// Must not import api.
import { disableKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { WITH_MATERIAL } from '../lifecycle.js';
import { setEnabled } from './enable-key.js';

export const disableKey = defineOperation(
  disableKeyOperation,
  { access: 'manage', states: WITH_MATERIAL },
  async (ctx, input) => {
    await setEnabled(ctx, input.keyId, 'Disabled');
    return {};
  },
);
