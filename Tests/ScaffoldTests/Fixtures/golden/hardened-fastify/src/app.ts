// Created once by senior-backend scaffold and never overwritten: this file is yours.
import Fastify, { type FastifyInstance } from "fastify";
import cors from "@fastify/cors";
import { configureSecurity, type Environment, type SecuritySetup } from "./generated/auth";
import { ajvOptions, errorHandler, harden, notFoundHandler, registerRoutes } from "./generated/fastify";
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
  app: FastifyInstance;
  readiness: Readiness;
  security: SecuritySetup;
}

export async function createApp(env: Environment): Promise<App> {
  const security = await configureSecurity(env, securityHooks);
  const readiness: Readiness = { ready: true };
  // Behind a proxy or load balancer, add `trustProxy: true` so that rate limits count clients, not the proxy.
  const app = Fastify({ bodyLimit: 1024 * 1024, ajv: { customOptions: ajvOptions } });
  harden(app, defaultSecurityHeaders, readiness);
  const origins = corsOrigins(env);
  if (origins.length > 0) await app.register(cors, { origin: origins, exposedHeaders: ["X-Request-Id", "RateLimit", "RateLimit-Policy", "Retry-After"] });
  app.setErrorHandler(errorHandler());
  app.setNotFoundHandler(notFoundHandler());
  const rateLimiter = new RateLimiter(new MemoryRateLimitStore(), defaultRateLimit(env));
  registerRoutes(app, handlers, { security: security.hooks, rateLimiter });
  return { app, readiness, security };
}
