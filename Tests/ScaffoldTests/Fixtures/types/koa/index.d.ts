// Minimal declarations of Koa 3 for the scaffold type-check (see ../README.md).
declare namespace Koa {
  interface Request {
    body?: unknown;
  }
  interface Context {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string | string[] | undefined>;
    request: Request;
    status: number;
    type: string;
    body: unknown;
    set(field: string, value: string): void;
  }
  type Next = () => Promise<unknown>;
  type Middleware = (ctx: Context, next: Next) => unknown;
  interface Server {
    close(callback?: () => void): void;
  }
}

declare class Koa {
  constructor();
  use(middleware: Koa.Middleware): this;
  listen(port: number, host: string, callback?: () => void): Koa.Server;
}

export = Koa;
