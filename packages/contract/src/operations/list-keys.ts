// ListKeys (AWS KMS ListKeys): every key, paged. Custos-only fields filter (keyring, state, spec, usage, tag, alias
// prefix or key id), sort (creation or key id, keyset-paged) and return each key's metadata in the same call; the AWS
// protocol refuses them (api/aws/shapes.ts CUSTOS_ONLY_FIELDS), so TrentService.ListKeys keeps AWS's shape.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import {
  AliasName,
  KeyMetadata,
  KeySpecSchema,
  KeyStateSchema,
  KeyUsageSchema,
  Limit,
  Marker,
  TagKey,
} from '../schemas/common.js';
import { contractOperation } from '../operation.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** What ListKeys sorts by, each served by an index: creation time (the default) or key id; ties broken by key id. */
export const LIST_KEYS_SORTS = ['created', 'keyId'] as const;
export type ListKeysSort = (typeof LIST_KEYS_SORTS)[number];

/** AWS KeyListEntry; with `includeMetadata` (Custos) also the key's metadata, alias names and last rotation. */
export const KeyListEntry = Type.Object({
  keyId: Type.String(),
  keyArn: Type.String(),
  /** Custos, with includeMetadata: what DescribeKey returns (without the HSM and last-use fields). */
  metadata: Type.Optional(KeyMetadata),
  /** Custos, with includeMetadata: the key's alias names, sorted. */
  aliasNames: Type.Optional(Type.Array(AliasName)),
  /** Custos, with includeMetadata: when the latest version was made by rotation; absent if never rotated. */
  lastRotationDate: Type.Optional(Type.Date()),
});
export type KeyListEntry = Static<typeof KeyListEntry>;

/** At most this many values per list filter. */
const MAX_FILTER_VALUES = 20;

/** ListKeys request. */
export const ListKeysRequest = Type.Object(
  {
    limit: Type.Optional(Limit),
    /** A previous page's nextMarker; it holds the sort and filters it was made for (another → INVALID_MARKER). */
    marker: Type.Optional(Marker),
    /** Custos: only the keys of this keyring application id (MOSIP). */
    applicationId: Type.Optional(ApplicationId),
    /** Custos: with applicationId, only the keys of this reference id ("" = the master key). */
    referenceId: Type.Optional(ReferenceId),
    /** Custos: only keys in one of these states. */
    keyStates: Type.Optional(Type.Array(KeyStateSchema, { minItems: 1, maxItems: MAX_FILTER_VALUES })),
    /** Custos: only keys of one of these specs. */
    keySpecs: Type.Optional(Type.Array(KeySpecSchema, { minItems: 1, maxItems: MAX_FILTER_VALUES })),
    /** Custos: only keys of one of these usages. */
    keyUsages: Type.Optional(Type.Array(KeyUsageSchema, { minItems: 1, maxItems: MAX_FILTER_VALUES })),
    /** Custos: only keys with a tag of this key. */
    withTagKey: Type.Optional(TagKey),
    /** Custos: with withTagKey, only keys whose tag has this value. */
    withTagValue: Type.Optional(Type.String({ maxLength: 256 })),
    /** Custos: keys with an alias starting with this (`alias/` added when absent), or the key of this exact id. */
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[a-zA-Z0-9/_:-]+$' })),
    /** Custos: `created` (default) or `keyId`. */
    sortBy: Type.Optional(Type.Union(LIST_KEYS_SORTS.map((s) => Type.Literal(s)))),
    /** Custos: `asc` (default) or `desc`. */
    sortOrder: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    /** Custos: each entry also carries metadata, aliasNames and lastRotationDate (one request per page). */
    includeMetadata: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ListKeysRequest = Static<typeof ListKeysRequest>;

/** ListKeys response. */
export const ListKeysResponse = Type.Object({
  keys: Type.Array(KeyListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListKeysResponse = Static<typeof ListKeysResponse>;

/** The ListKeys operation: GET /v1/keys, and TrentService.ListKeys on the AWS protocol. */
export const listKeysOperation = contractOperation({
  method: 'listKeys',
  name: 'ListKeys',
  request: ListKeysRequest,
  response: ListKeysResponse,
  route: { method: 'GET', path: '/v1/keys' },
  safeToRetry: true, // a read
  aws: true,
});
