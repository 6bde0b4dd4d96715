// Created once by senior-backend scaffold and never overwritten: this file is yours.
import Koa from "koa";
import Router from "@koa/router";
import cors from "@koa/cors";
import { bodyParser } from "@koa/bodyparser";
import { configureSecurity, type Environment, type SecuritySetup } from "./generated/auth";
import { basePath, errorMiddleware, healthRoutes, registerRoutes, requestContext, securityHeaders } from "./generated/koa";
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
  app: Koa;
  readiness: Readiness;
  security: SecuritySetup;
}

export async function createApp(env: Environment): Promise<App> {
  const security = await configureSecurity(env, securityHooks);
  const readiness: Readiness = { ready: true };
  const app = new Koa();
  // Behind a proxy or load balancer, trust it so that rate limits count clients, not the proxy:
  // app.proxy = true;
  app.use(requestContext());
  app.use(securityHeaders(defaultSecurityHeaders));
  const origins = corsOrigins(env);
  if (origins.length > 0) {
    app.use(cors({ origin: (ctx) => (origins.includes(ctx.get("Origin")) ? ctx.get("Origin") : ""), exposeHeaders: ["X-Request-Id", "RateLimit", "RateLimit-Policy", "Retry-After"] }));
  }
  app.use(healthRoutes(readiness));
  const router = new Router(basePath === "/" ? {} : { prefix: basePath });
  const rateLimiter = new RateLimiter(new MemoryRateLimitStore(), defaultRateLimit(env));
  registerRoutes(router, handlers, { security: security.hooks, rateLimiter });
  app.use(errorMiddleware());
  app.use(bodyParser({ enableTypes: ["json", "form"], jsonLimit: "1mb", formLimit: "1mb" }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, readiness, security };
}
