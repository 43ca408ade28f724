// The OpenAPI 3.1 document of the REST API, built from the contract (ROUTES + OPERATIONS, in wire form), served at
// /v1/openapi.json, and browsable at /docs (Swagger UI). Both are public: the document is derived from the open
// contract and holds no data, and a browser page cannot send a bearer token to load it.
// Must not be imported by service, store, keystore or core.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  ERROR_CODES,
  OPERATIONS,
  ROUTES,
  pathParams,
  wireSchema,
  type OperationMethod,
  type Route,
} from '@custos/contract';
import { HTTP_STATUS } from '../errors/http-status.js';
import { successStatus } from '../routes/v1/operations.js';

type JsonObject = Record<string, unknown>;

const ERROR_SCHEMA: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string' },
        requestId: { type: 'string' },
      },
    },
  },
};

/** OpenAPI path syntax: `/v1/keys/:keyId/encrypt` → `/v1/keys/{keyId}/encrypt`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function operationObject(method: OperationMethod, route: Route): JsonObject {
  const op = OPERATIONS[method];
  const request = wireSchema(op.request);
  const inPath = new Set(pathParams(route));
  const props = (request.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((request.required as string[] | undefined) ?? []);
  const rest: Record<string, JsonObject> = Object.fromEntries(
    Object.entries(props).filter(([name]) => !inPath.has(name)),
  );
  const parameters: JsonObject[] = [...inPath].map((name) => ({
    name,
    in: 'path',
    required: true,
    description: 'URL-encoded (key ids, aliases and ARNs contain `/` and `:`)',
    schema: props[name] ?? { type: 'string' },
  }));
  const hasBody = route.method === 'POST' || route.method === 'PUT';
  if (!hasBody) {
    for (const [name, schema] of Object.entries(rest))
      parameters.push({ name, in: 'query', required: required.has(name), schema });
  }
  const errorStatuses = [...new Set(Object.values(HTTP_STATUS))].sort();
  const status = String(successStatus(method));
  return {
    operationId: method,
    summary: op.name,
    tags: [route.path.split('/')[2] ?? 'v1'],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(hasBody
      ? {
          requestBody: {
            required: false,
            content: {
              'application/json': {
                schema: { ...request, properties: rest, required: [...required].filter((name) => !inPath.has(name)) },
              },
            },
          },
        }
      : {}),
    responses: {
      [status]: { description: 'success', content: { 'application/json': { schema: wireSchema(op.response) } } },
      ...Object.fromEntries(
        [...errorStatuses, 401, 413].map((code) => [
          String(code),
          {
            description: 'error (see docs/errors.md)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document: every ROUTES entry, a bearer security scheme, the error schema. */
function buildOpenApiDocument(version = '0.1.0'): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [method, route] of Object.entries(ROUTES) as [OperationMethod, Route][]) {
    const path = openApiPath(route.path);
    (paths[path] ??= {})[route.method.toLowerCase()] = operationObject(method, route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Custos KMS',
      version,
      description:
        'The native REST API of Custos. Bytes travel as base64, dates as ISO 8601 strings. Errors: docs/errors.md.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'cst_… token (custos token create)' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
    const document = buildOpenApiDocument();
    await app.register(swagger, { mode: 'static', specification: { document: document as never } });
    // Swagger UI's routes are public: marked so in their own context, before the plugin adds them.
    await app.register(async (docs) => {
      docs.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), public: true };
      });
      await docs.register(swaggerUi, { routePrefix: '/docs' });
    });
    app.get('/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => document);
  },
  { name: 'custos-openapi' },
);
