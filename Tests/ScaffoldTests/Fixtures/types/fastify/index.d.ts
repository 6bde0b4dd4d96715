// Minimal declarations of Fastify 5 for the scaffold type-check (see ../README.md).
type HTTPMethods = "DELETE" | "GET" | "HEAD" | "PATCH" | "POST" | "PUT" | "OPTIONS" | "TRACE";

export interface FastifyRequest {
  id: string;
  ip: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  params: unknown;
  query: unknown;
  body: unknown;
}

export interface FastifyReply {
  statusCode: number;
  code(statusCode: number): FastifyReply;
  header(name: string, value: unknown): FastifyReply;
  type(contentType: string): FastifyReply;
  send(payload?: unknown): FastifyReply;
}

export interface FastifySchemaValidationError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface FastifyError extends Error {
  code: string;
  statusCode?: number;
  validation?: FastifySchemaValidationError[];
  validationContext?: "body" | "headers" | "params" | "querystring";
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface RouteOptions {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  schema?: { body?: unknown; querystring?: unknown; params?: unknown; headers?: unknown };
  onRequest?: Hook | Hook[];
  preValidation?: Hook | Hook[];
  handler: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

type ContentTypeParserDone = (error: Error | null, body?: unknown) => void;

export interface FastifyInstance {
  hasContentTypeParser(contentType: string | RegExp): boolean;
  addContentTypeParser(
    contentType: string | string[] | RegExp,
    options: { parseAs: "string"; bodyLimit?: number },
    parser: (request: FastifyRequest, body: string, done: ContentTypeParserDone) => void,
  ): void;
  route(options: RouteOptions): FastifyInstance;
  addSchema(schema: { $id: string; [keyword: string]: unknown }): FastifyInstance;
  setErrorHandler(handler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown): FastifyInstance;
  setNotFoundHandler(handler: (request: FastifyRequest, reply: FastifyReply) => unknown): FastifyInstance;
  listen(options: { port?: number; host?: string }): Promise<string>;
  addHook(name: "onRequest" | "onResponse", hook: Hook): FastifyInstance;
  get(path: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown): FastifyInstance;
  register<Options>(plugin: FastifyPluginAsync<Options>, options?: Options): PromiseLike<undefined>;
  close(): Promise<undefined>;
  /** Node's http.Server, the part used. */
  server: { closeIdleConnections(): void; closeAllConnections(): void };
}

export type FastifyPluginAsync<Options> = (instance: FastifyInstance, options: Options) => Promise<void>;

export interface FastifyServerOptions {
  bodyLimit?: number;
  logger?: boolean;
  ajv?: {
    customOptions?: {
      allErrors?: boolean;
      coerceTypes?: boolean | "array";
      removeAdditional?: boolean | "all" | "failing";
      useDefaults?: boolean | "empty";
      strict?: boolean | "log";
    };
  };
}

declare function fastify(options?: FastifyServerOptions): FastifyInstance;
export default fastify;
export { fastify };
