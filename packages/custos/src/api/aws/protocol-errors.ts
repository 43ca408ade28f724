// Failures of the AWS protocol itself (signature, framing, target), named as AWS names them, before any service
// call; service failures are KmsErrors, named through AWS_EXCEPTION (errors.ts). Must not be imported outside api/aws.

/** AWS exceptions raised by the protocol layer. AWS answers each with HTTP 400. */
export type AwsProtocolException =
  /** No Authorization header (nor a presigned query). */
  | 'MissingAuthenticationTokenException'
  /** An Authorization header or X-Amz-Date that cannot be parsed. */
  | 'IncompleteSignatureException'
  /** The signature does not match, has expired, or is scoped to another date, region or service. */
  | 'InvalidSignatureException'
  /** The access key id is unknown or revoked (the service's UNAUTHENTICATED). */
  | 'UnrecognizedClientException'
  /** The body is not a JSON object. */
  | 'SerializationException'
  /** X-Amz-Target is missing or names another service. */
  | 'UnknownOperationException'
  /** A `TrentService.*` target Custos does not serve. */
  | 'UnsupportedOperationException';

/** A protocol-level failure: rendered as `{ "__type": exception, "message": message }` with status 400. */
export class AwsProtocolError extends Error {
  constructor(
    readonly exception: AwsProtocolException,
    message: string,
  ) {
    super(message);
    this.name = 'AwsProtocolError';
  }
}
