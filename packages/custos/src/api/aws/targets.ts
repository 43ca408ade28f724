// The AWS KMS operations Custos serves: `X-Amz-Target` → a handler that turns the AWS request shape into the
// contract's input, calls the Kms, and turns the result back. Must not import service, store, keystore or core.
import { OPERATIONS, type Caller, type Kms, type OperationMethod } from '@custos/contract';
import { fromAws, toAws } from './shapes.js';

/** A `Kms` method that AWS KMS also has (`aws: true` in OPERATIONS): only these can be targets. */
export type AwsMethod = {
  [M in OperationMethod]: (typeof OPERATIONS)[M]['aws'] extends true ? M : never;
}[OperationMethod];

/** One target: the parsed JSON body of an AWS request and the authenticated caller → the AWS response body. */
export type AwsTarget = (kms: Kms, body: Record<string, unknown>, caller: Caller) => Promise<unknown>;

/** The handler of one AWS operation, from the contract's schemas (no per-operation mapping code). */
export function target(method: AwsMethod): AwsTarget {
  const { request, response } = OPERATIONS[method];
  return async (kms, body, caller) => {
    const input = fromAws(request, body);
    const call = kms[method] as (input: unknown, caller: Caller) => Promise<unknown>;
    return toAws(response, await call.call(kms, input, caller));
  };
}

/** Every `TrentService.*` target Custos serves; any other is UnsupportedOperationException. */
export const TARGETS: Readonly<Record<string, AwsTarget>> = {
  'TrentService.CreateKey': target('createKey'),
  'TrentService.DescribeKey': target('describeKey'),
  'TrentService.ListKeys': target('listKeys'),
  'TrentService.UpdateKeyDescription': target('updateKeyDescription'),
  'TrentService.EnableKey': target('enableKey'),
  'TrentService.DisableKey': target('disableKey'),
  'TrentService.ScheduleKeyDeletion': target('scheduleKeyDeletion'),
  'TrentService.CancelKeyDeletion': target('cancelKeyDeletion'),
  'TrentService.CreateAlias': target('createAlias'),
  'TrentService.UpdateAlias': target('updateAlias'),
  'TrentService.DeleteAlias': target('deleteAlias'),
  'TrentService.ListAliases': target('listAliases'),
  'TrentService.TagResource': target('tagResource'),
  'TrentService.UntagResource': target('untagResource'),
  'TrentService.ListResourceTags': target('listResourceTags'),
  'TrentService.Encrypt': target('encrypt'),
  'TrentService.Decrypt': target('decrypt'),
  'TrentService.ReEncrypt': target('reEncrypt'),
  'TrentService.GenerateDataKey': target('generateDataKey'),
  'TrentService.GenerateDataKeyWithoutPlaintext': target('generateDataKeyWithoutPlaintext'),
  'TrentService.GenerateDataKeyPair': target('generateDataKeyPair'),
  'TrentService.GenerateDataKeyPairWithoutPlaintext': target('generateDataKeyPairWithoutPlaintext'),
  'TrentService.GenerateRandom': target('generateRandom'),
  'TrentService.Sign': target('sign'),
  'TrentService.Verify': target('verify'),
  'TrentService.GetPublicKey': target('getPublicKey'),
  'TrentService.GenerateMac': target('generateMac'),
  'TrentService.VerifyMac': target('verifyMac'),
  'TrentService.DeriveSharedSecret': target('deriveSharedSecret'),
  'TrentService.EnableKeyRotation': target('enableKeyRotation'),
  'TrentService.DisableKeyRotation': target('disableKeyRotation'),
  'TrentService.GetKeyRotationStatus': target('getKeyRotationStatus'),
  'TrentService.RotateKeyOnDemand': target('rotateKeyOnDemand'),
  'TrentService.ListKeyRotations': target('listKeyRotations'),
  'TrentService.GetParametersForImport': target('getParametersForImport'),
  'TrentService.ImportKeyMaterial': target('importKeyMaterial'),
  'TrentService.DeleteImportedKeyMaterial': target('deleteImportedKeyMaterial'),
  'TrentService.GetKeyPolicy': target('getKeyPolicy'),
  'TrentService.PutKeyPolicy': target('putKeyPolicy'),
};
