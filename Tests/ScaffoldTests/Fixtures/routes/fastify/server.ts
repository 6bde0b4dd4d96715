import Fastify from 'fastify';
import userRoutes from './routes/users';
import health from './plugins/health';

const fastify = Fastify({ logger: true });

const itemBody = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 }, price: { type: 'number' } },
} as const;

fastify.get('/ping', async () => 'pong');

fastify.get(
  '/items/:itemId',
  {
    schema: {
      params: { type: 'object', properties: { itemId: { type: 'integer' } }, required: ['itemId'] },
      querystring: { type: 'object', properties: { verbose: { type: 'boolean' } } },
      response: {
        200: { description: 'The item', type: 'object', properties: { id: { type: 'integer' } } },
      },
    },
    preHandler: [authenticate],
  },
  getItem,
);

fastify.route({
  method: ['POST', 'PUT'],
  url: '/items',
  schema: {
    body: itemBody,
    headers: {
      type: 'object',
      properties: { 'x-request-id': { type: 'string' } },
      required: ['x-request-id'],
    },
  },
  handler: saveItem,
});

fastify.register(userRoutes, { prefix: '/v1' });
fastify.register(
  async function adminPlugin(instance) {
    instance.delete('/cache', clearCache);
  },
  { prefix: '/admin' },
);

fastify.register(health);

fastify.listen({ port: 3000 });
