// Created once by senior-backend scaffold and never overwritten: this file is yours.
import { createApp } from "./app";
import { serve } from "./generated/fastify";
import { host } from "./generated/hardening";

const env = host.process.env;
const port = Number(env.PORT ?? "3000");
const address = env.HOST ?? "127.0.0.1";
const drainSeconds = Number(env.SHUTDOWN_TIMEOUT_SECONDS ?? "10");

createApp(env).then(
  ({ app, readiness, security }) => {
    // Said at start, so that a deployment missing a variable is noticed before its first 401.
    for (const line of security.unconfigured) {
      host.console.error(JSON.stringify({ level: "warn", msg: `security scheme not configured, answers 401: ${line}` }));
    }
    serve(app, readiness, port, address, drainSeconds);
  },
  (error: unknown) => {
    host.console.error(JSON.stringify({ level: "error", msg: `cannot start: ${error instanceof Error ? error.message : String(error)}` }));
    host.process.exitCode = 1;
  },
);
