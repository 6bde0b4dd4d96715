// Minimal declarations of @fastify/cors 11 for the scaffold type-check (see ../../README.md).
import type { FastifyPluginAsync } from "fastify";

export interface FastifyCorsOptions {
  origin?: boolean | string | RegExp | (string | RegExp)[];
  exposedHeaders?: string | string[];
  allowedHeaders?: string | string[];
  methods?: string | string[];
  credentials?: boolean;
  maxAge?: number;
}

declare const fastifyCors: FastifyPluginAsync<FastifyCorsOptions>;
export default fastifyCors;
export { fastifyCors };
