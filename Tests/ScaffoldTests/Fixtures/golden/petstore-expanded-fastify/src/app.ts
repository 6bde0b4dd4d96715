// Created once by senior-backend scaffold and never overwritten: this file is yours.
import Fastify, { type FastifyInstance } from "fastify";
import { ajvOptions, errorHandler, notFoundHandler, registerRoutes } from "./generated/fastify";
import { handlers } from "./generated/handler-registry";
import type { SecurityHooks } from "./generated/security";

/**
 * One hook per security scheme: it gets the credential from the request and returns the
 * principal, or a falsy value to refuse. Until a scheme has a hook, every operation that needs
 * it answers 401 (fail closed).
 */
export const securityHooks: SecurityHooks = {};

export function createApp(): FastifyInstance {
  const app = Fastify({ bodyLimit: 1024 * 1024, ajv: { customOptions: ajvOptions } });
  app.setErrorHandler(errorHandler());
  app.setNotFoundHandler(notFoundHandler());
  registerRoutes(app, handlers, { security: securityHooks });
  return app;
}
