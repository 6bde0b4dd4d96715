// Minimal declarations of @koa/bodyparser 6 for the scaffold type-check (see ../../README.md).
import type Koa from "koa";

export interface BodyParserOptions {
  enableTypes?: Array<"json" | "form" | "text" | "xml">;
  jsonLimit?: string | number;
  formLimit?: string | number;
}

export function bodyParser(options?: BodyParserOptions): Koa.Middleware;
