// Minimal declarations of @koa/cors 5 for the scaffold type-check (see ../../README.md).
import type Koa from "koa";

declare namespace cors {
  interface Options {
    origin?: string | ((ctx: Koa.Context) => string | Promise<string>);
    exposeHeaders?: string | string[];
    allowMethods?: string | string[];
    allowHeaders?: string | string[];
    maxAge?: number | string;
    credentials?: boolean;
  }
}

declare function cors(options?: cors.Options): Koa.Middleware;

export = cors;
