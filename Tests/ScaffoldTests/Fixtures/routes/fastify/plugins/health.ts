import fp from 'fastify-plugin';

export default fp(async (app) => {
  app.get('/health', async () => ({ ok: true }));
});
