import type { FastifyInstance } from 'fastify';
import { userParams } from './schemas';

export default async function userRoutes(app: FastifyInstance, opts: object) {
  app.get<{ Params: { id: string } }>(
    '/users/:id',
    { schema: { params: userParams, summary: 'Get a user', operationId: 'fetchUser', tags: ['users'] } },
    async (request) => ({ id: request.params.id }),
  );
  app.route({ method: 'GET', url: '/users', handler: listUsers });
}
