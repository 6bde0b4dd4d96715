// Minimal declarations of @koa/router 15 for the scaffold type-check (see ../../README.md).
import type Koa from "koa";

declare namespace Router {
  interface RouterContext extends Koa.Context {
    params: Record<string, string>;
  }
  type RouterMiddleware = (ctx: RouterContext, next: Koa.Next) => unknown;
  interface RouterOptions {
    prefix?: string;
  }
}

declare class Router {
  constructor(options?: Router.RouterOptions);
  register(path: string, methods: string[], middleware: Router.RouterMiddleware): unknown;
  routes(): Koa.Middleware;
  allowedMethods(): Koa.Middleware;
}

export = Router;
