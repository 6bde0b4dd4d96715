// Created once by senior-backend scaffold and never overwritten: this file is yours.
import express from "express";
import cors from "cors";
import { configureSecurity, type Environment, type SecuritySetup } from "./generated/auth";
import { basePath, createRouter, errorHandler, healthRoutes, notFoundHandler, requestContext, securityHeaders } from "./generated/express";
import { corsOrigins, defaultRateLimit, defaultSecurityHeaders, MemoryRateLimitStore, RateLimiter, type Readiness } from "./generated/hardening";
import { handlers } from "./generated/handler-registry";
import type { SecurityHooks } from "./generated/security";

/**
 * Your own verifiers, one per scheme you want to check yourself: each gets the credential from the
 * request and returns a Principal, or a falsy value to refuse (401). A scheme without one here is
 * checked by the built-in verifier configured from its AUTH_<SCHEME>_* variables (see README.md);
 * unconfigured, it answers 401 to every request (fail closed).
 */
export const securityHooks: SecurityHooks = {
  // "bearerAuth": async (credential, context) => null,
  // "partnerKey": async (credential, context) => null,
};

export interface App {
  app: express.Application;
  readiness: Readiness;
  security: SecuritySetup;
}

export async function createApp(env: Environment): Promise<App> {
  const security = await configureSecurity(env, securityHooks);
  const readiness: Readiness = { ready: true };
  const app = express();
  app.disable("x-powered-by");
  // Behind a proxy or load balancer, trust it so that rate limits count clients, not the proxy:
  // app.set("trust proxy", 1);
  app.use(requestContext());
  app.use(securityHeaders(defaultSecurityHeaders));
  const origins = corsOrigins(env);
  if (origins.length > 0) app.use(cors({ origin: origins, exposedHeaders: ["X-Request-Id", "RateLimit", "RateLimit-Policy", "Retry-After"] }));
  healthRoutes(app, readiness);
  app.use(express.json({ limit: "1mb" }));
  app.use(express.urlencoded({ extended: false, limit: "1mb" }));
  const rateLimiter = new RateLimiter(new MemoryRateLimitStore(), defaultRateLimit(env));
  app.use(basePath, createRouter(express.Router(), handlers, { security: security.hooks, rateLimiter }));
  app.use(notFoundHandler());
  app.use(errorHandler());
  return { app, readiness, security };
}
