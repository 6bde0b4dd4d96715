module.exports = function registerHealth(app) {
  app.get('/ready', ready);
};
