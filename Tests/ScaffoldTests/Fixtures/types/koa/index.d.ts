// Minimal declarations of Koa 3 for the scaffold type-check (see ../README.md).
declare namespace Koa {
  interface Request {
    body?: unknown;
  }
  interface Context {
    method: string;
    path: string;
    originalUrl: string;
    ip: string;
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string | string[] | undefined>;
    request: Request;
    status: number;
    type: string;
    body: unknown;
    set(field: string, value: string): void;
    get(field: string): string;
  }
  type Next = () => Promise<unknown>;
  type Middleware = (ctx: Context, next: Next) => unknown;
  // Node's http.Server, the part used.
  interface Server {
    close(callback?: () => void): void;
    closeIdleConnections(): void;
    closeAllConnections(): void;
    on(event: "error", listener: (error: Error) => void): this;
  }
}

declare class Koa {
  constructor();
  proxy: boolean;
  use(middleware: Koa.Middleware): this;
  listen(port: number, host: string, callback?: () => void): Koa.Server;
}

export = Koa;
