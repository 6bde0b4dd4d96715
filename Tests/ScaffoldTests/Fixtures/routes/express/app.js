// An Express app in the common styles: middleware, chained route(), regex and optional parameters,
// routers mounted from other files (CommonJS and ES modules) and a function called with the app.
const express = require('express');
const usersRouter = require('./routes/users');
const admin = require('./routes/admin');
const registerHealth = require('./routes/health');
const { auth, rateLimit } = require('./middleware');

const app = express();
app.use(express.json());

// Registrations inside comments, strings, templates and regex literals are not routes:
// app.get('/commented', handler);
/* app.post('/blocked', handler); */
const inString = "app.get('/in-string', handler)";
const inTemplate = `app.put('/in-template', ${'}' + "{"} handler)`;
const inRegex = /app\.get\('\/in-regex'\)/g;

app.get('/health', function health(req, res) {
  res.send('ok');
});
app.get('/version', auth, rateLimit(10), getVersion);
app.post('/login', express.urlencoded({ extended: false }), login);
app.head('/health', healthHead);
app.options('/cors', corsPreflight);

app
  .route('/books')
  .get(listBooks)
  .post(auth, createBook);
app.route('/books/:bookId(\\d+)')
  .get(getBook)
  .put(auth, replaceBook)
  .patch(auth, updateBook)
  .delete(auth, deleteBook);

app.get('/files/:name.:ext', getFile);
app.get('/archive/:year/:month?', listArchive);

app.use('/users', usersRouter);
app.use('/admin', auth, admin);
registerHealth(app);

const PREFIX = '/api/v2';
app.get(PREFIX + '/status', v2Status);

// Unresolvable: each is a warning.
app.get(`${PREFIX}/dynamic`, dynamicHandler);
app.get(pathFor('report'), reportHandler);
app.all('/everything', everything);
something.get('/unknown', unknownHandler);
app.get(...routeArguments);

const orders = require('./routes/orders').default;
app.use('/orders', orders);

function getVersion(req, res) {
  res.json({ version: process.env.VERSION || 'dev' });
}

module.exports = app;
