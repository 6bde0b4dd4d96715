// Created once by senior-backend scaffold and never overwritten: this file is yours.
import express from "express";
import { basePath, createRouter, errorHandler, notFoundHandler } from "./generated/express";
import { handlers } from "./generated/handler-registry";
import type { SecurityHooks } from "./generated/security";

/**
 * One hook per security scheme: it gets the credential from the request and returns the
 * principal, or a falsy value to refuse. Until a scheme has a hook, every operation that needs
 * it answers 401 (fail closed).
 */
export const securityHooks: SecurityHooks = {};

export function createApp(): express.Application {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "1mb" }));
  app.use(express.urlencoded({ extended: false, limit: "1mb" }));
  app.use(basePath, createRouter(express.Router(), handlers, { security: securityHooks }));
  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
