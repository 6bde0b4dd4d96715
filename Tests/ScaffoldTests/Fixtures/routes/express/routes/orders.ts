import express, { Router } from 'express';

const orders: Router = express.Router();

orders
  .get('/', listOrders)
  .post('/', createOrder);

class LegacyRoutes {
  router = express.Router();
  register() {
    this.router.get('/legacy', legacyHandler);
  }
}

export default orders;
