// RevokeKeyringKey (Custos, MOSIP key manager): expires the current Base key at once. Must not import api; the logic lives in service/keyrings/.
import { revokeKeyringKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { ringOf } from '../keyrings/rings.js';
import { revokeKeyringKey as revoke } from '../keyrings/revoke.js';

export const revokeKeyringKey = defineOperation(
  revokeKeyringKeyOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    await revoke(ctx, ringOf(input));
    return {};
  },
);
