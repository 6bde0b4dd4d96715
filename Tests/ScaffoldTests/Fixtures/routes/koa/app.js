const Koa = require('koa');
const Router = require('@koa/router');
const articles = require('./articles');

const app = new Koa();
const router = new Router({ prefix: '/api' });

router.get('root', '/', rootHandler);
router.get('/status', async (ctx) => {
  ctx.body = 'ok';
});
router.use('/articles', articles.routes(), articles.allowedMethods());

app.use(router.routes()).use(router.allowedMethods());
app.listen(3000);
