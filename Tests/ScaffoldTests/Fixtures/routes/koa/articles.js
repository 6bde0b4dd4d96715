const Router = require('koa-router');

const articles = new Router();

articles.get('list-articles', '/', list);
articles.post('/', create);
articles.get('/:slug', show);
articles.del('/:slug', remove);

module.exports = articles;
