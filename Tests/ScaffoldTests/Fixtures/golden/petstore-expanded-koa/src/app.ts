// Created once by senior-backend scaffold and never overwritten: this file is yours.
import Koa from "koa";
import Router from "@koa/router";
import { bodyParser } from "@koa/bodyparser";
import { basePath, errorMiddleware, registerRoutes } from "./generated/koa";
import { handlers } from "./generated/handler-registry";
import type { SecurityHooks } from "./generated/security";

/**
 * One hook per security scheme: it gets the credential from the request and returns the
 * principal, or a falsy value to refuse. Until a scheme has a hook, every operation that needs
 * it answers 401 (fail closed).
 */
export const securityHooks: SecurityHooks = {};

export function createApp(): Koa {
  const app = new Koa();
  const router = new Router(basePath === "/" ? {} : { prefix: basePath });
  registerRoutes(router, handlers, { security: securityHooks });
  app.use(errorMiddleware());
  app.use(bodyParser({ enableTypes: ["json", "form"], jsonLimit: "1mb", formLimit: "1mb" }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
