// The root-key rotation routes (admin): POST /v1/sys/rotate-root starts a rotation, or resumes an interrupted one,
// and answers at once (202) with its progress; GET /v1/sys/rotate-root reports it. The work runs in the server while
// it keeps serving. Must not be imported by service, store, keystore or core.
import { AuthenticationError } from '@custos/contract';
import type { FastifyInstance } from 'fastify';
import type { LocalKms } from '../../service/local-kms.js';

const ROTATE_ROOT_PATH = '/v1/sys/rotate-root';

export async function sysRootRoutes(app: FastifyInstance, options: { kms: LocalKms }): Promise<void> {
  const { kms } = options;
  app.get(ROTATE_ROOT_PATH, { schema: { hide: true }, config: { operation: 'RotateRoot' } }, async (request) => {
    if (!request.caller) throw new AuthenticationError();
    return kms.rootRotationStatus(request.caller);
  });
  app.post(
    ROTATE_ROOT_PATH,
    { schema: { hide: true }, config: { operation: 'RotateRoot' } },
    async (request, reply) => {
      const caller = request.caller;
      if (!caller) throw new AuthenticationError();
      // Runs on after this reply; its outcome is in GET's `state` and `error` (and in the audit records).
      return reply.code(202).send(await kms.startRotateRoot(caller));
    },
  );
}
