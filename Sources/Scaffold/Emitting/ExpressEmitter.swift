import BackendCore

/// One file of the generated project, its path relative to the output folder.
struct GeneratedFile: Equatable {
    enum Kind: Equatable {
        /// Under `src/generated/`: rewritten on every run, listed in the manifest.
        case generated
        /// Created when missing and never overwritten (handlers, `src/app.ts`, `package.json`, ...).
        case createOnce
    }

    var path: String
    var text: String
    var kind: Kind
}

/// Writes the Express TypeScript project for an `APIModel`. Pure: same model, same bytes.
struct ExpressEmitter {
    let model: APIModel
    let errorFormat: String

    static let manifestPath = "src/generated/manifest.json"

    func files() -> [GeneratedFile] {
        var files: [GeneratedFile] = [
            .init(path: "src/generated/express-shim.d.ts", text: RuntimeFiles.expressShim, kind: .generated),
            .init(path: "src/generated/runtime.ts", text: RuntimeFiles.runtime, kind: .generated),
            .init(path: "src/generated/validation.ts", text: RuntimeFiles.validation, kind: .generated),
            .init(path: "src/generated/types.ts", text: typesFile(), kind: .generated),
            .init(path: "src/generated/schemas.ts", text: schemasFile(), kind: .generated),
            .init(path: "src/generated/operations.ts", text: operationsFile(), kind: .generated),
            .init(path: "src/generated/security.ts", text: securityFile(), kind: .generated),
            .init(path: "src/generated/express.ts", text: adapterFile(), kind: .generated),
            .init(path: "src/generated/handler-registry.ts", text: registryFile(), kind: .generated),
        ]
        for operation in model.operations {
            files.append(.init(path: handlerPath(operation), text: handlerFile(operation), kind: .createOnce))
        }
        files += [
            .init(path: "src/app.ts", text: appFile(), kind: .createOnce),
            .init(path: "src/server.ts", text: serverFile(), kind: .createOnce),
            .init(path: "package.json", text: packageFile(), kind: .createOnce),
            .init(path: "tsconfig.json", text: tsconfigFile(), kind: .createOnce),
            .init(path: "README.md", text: readmeFile(), kind: .createOnce),
        ]
        return files
    }

    func handlerPath(_ operation: APIModel.Operation) -> String { "src/handlers/\(operation.identifier).ts" }

    var origin: String {
        "// Source: \(comment(model.title)) \(comment(model.apiVersion)) (OpenAPI \(comment(model.version))).\n"
    }

    /// Text safe inside a `//` or `/* */` comment.
    func comment(_ text: String) -> String {
        text.replacingOccurrences(of: "*/", with: "* /").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }

    func typesFile() -> String {
        var text = RuntimeFiles.header + origin
        if model.schemas.isEmpty { text += "\nexport {};\n" }
        for (identifier, schema) in model.schemas {
            text += "\nexport type \(identifier) = \(TypeScript.type(schema, prefix: ""));\n"
        }
        return text
    }

    func schemasFile() -> String {
        var object = JSONObject()
        for (identifier, schema) in model.schemas { object[identifier] = schema }
        return RuntimeFiles.header + origin + "import type { JsonSchema } from \"./validation\";\n\n"
            + "/** Component schemas, normalised; `$ref` values name entries of this table. */\n"
            + "export const components: Record<string, JsonSchema> = \(TypeScript.pretty(.object(object)));\n"
    }

    func requestType(_ operation: APIModel.Operation) -> String {
        func group(_ location: String) -> String {
            let parameters = operation.parameters.filter { $0.location == location }
            if parameters.isEmpty { return "Record<string, never>" }
            let members = parameters.map { parameter in
                let optional = parameter.required ? "" : "?"
                let type = TypeScript.type(parameter.schema, prefix: "Types.", indent: "    ")
                return "    \(Names.propertyKey(parameter.name))\(optional): \(type);"
            }
            return "{\n" + members.joined(separator: "\n") + "\n  }"
        }
        var body = "undefined"
        if let requestBody = operation.body {
            body = TypeScript.type(requestBody.schema, prefix: "Types.", indent: "  ")
            if !requestBody.required { body = TypeScript.wrap(body) + " | undefined" }
        }
        return """
            {
              path: \(group("path"));
              query: \(group("query"));
              headers: \(group("header"));
              cookies: \(group("cookie"));
              body: \(body);
              /** What the security hook returned for this request (null when the operation is open). */
              auth: unknown;
              requestId: string;
              raw: express.Request;
            }
            """
    }

    func operationsFile() -> String {
        var text =
            RuntimeFiles.header + origin + """
                import type express from "express";
                import type * as Types from "./types";
                import type { HandlerResult } from "./runtime";
                import type { JsonSchema, ParameterSpec } from "./validation";
                import type { Requirement } from "./security";

                export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

                export interface OperationSpec {
                  operationId: string;
                  method: HttpMethod;
                  path: string;
                  expressPath: string;
                  parameters: readonly ParameterSpec[];
                  body: { required: boolean; mediaType: string; schema: JsonSchema } | null;
                  /** Alternatives (any one suffices) of requirement sets (all needed); empty: open. */
                  security: readonly (readonly Requirement[])[];
                }

                /** The request every handler receives, before narrowing to its operation's type. */
                export type RequestInput = {
                  path: Record<string, unknown>;
                  query: Record<string, unknown>;
                  headers: Record<string, unknown>;
                  cookies: Record<string, unknown>;
                  body: unknown;
                  auth: unknown;
                  requestId: string;
                  raw: express.Request;
                };

                """
        for operation in model.operations {
            text += "\n/** \(operation.method.uppercased()) \(comment(operation.path))"
            if !operation.summary.isEmpty { text += ": \(comment(operation.summary))" }
            text += " */\nexport type \(operation.typeName)Request = \(requestType(operation));\n"
        }
        text += "\n/** One typed handler per operation; each lives in src/handlers/<operationId>.ts. */\n"
        text += "export interface Handlers {\n"
        for operation in model.operations {
            text += "  \(operation.identifier)(request: \(operation.typeName)Request): Promise<HandlerResult>;\n"
        }
        text += "}\n\n/** The operation table, in route order (static paths before parameter paths). */\n"
        let table = JSONValue.array(model.operations.map(operationValue))
        text += "export const operations: readonly OperationSpec[] = \(TypeScript.pretty(table));\n"
        return text
    }

    func operationValue(_ operation: APIModel.Operation) -> JSONValue {
        var object = JSONObject()
        object["operationId"] = .string(operation.identifier)
        object["method"] = .string(operation.method)
        object["path"] = .string(operation.path)
        object["expressPath"] = .string(operation.expressPath)
        object["parameters"] = .array(
            operation.parameters.map { parameter in
                var value = JSONObject()
                value["name"] = .string(parameter.name)
                value["in"] = .string(parameter.location)
                value["key"] = .string(parameter.key)
                value["required"] = .bool(parameter.required)
                value["style"] = .string(parameter.style)
                value["explode"] = .bool(parameter.explode)
                value["schema"] = parameter.schema
                return .object(value)
            })
        if let body = operation.body {
            object["body"] = .object(
                JSONObject([
                    "required": .bool(body.required), "mediaType": .string(body.mediaType), "schema": body.schema,
                ]))
        } else {
            object["body"] = .null
        }
        object["security"] = .array(
            operation.security.map { alternative in
                .array(
                    alternative.map { requirement in
                        .object(
                            JSONObject([
                                "scheme": .string(requirement.scheme),
                                "scopes": .array(requirement.scopes.map(JSONValue.string)),
                            ]))
                    })
            })
        return .object(object)
    }

    func securityFile() -> String {
        let names = model.securitySchemes.map { TypeScript.literal(.string($0.name)) }
        var table = JSONObject()
        for scheme in model.securitySchemes {
            var value = JSONObject()
            value["type"] = .string(scheme.type)
            if let location = scheme.location { value["in"] = .string(location) }
            if let name = scheme.parameterName { value["name"] = .string(name) }
            if let kind = scheme.scheme { value["scheme"] = .string(kind) }
            table[scheme.name] = .object(value)
        }
        return RuntimeFiles.header + origin + """
            import type express from "express";
            import { parseCookies } from "./validation";

            /** The security schemes of the spec; add a hook for each in src/app.ts. */
            export type SchemeName = \(names.isEmpty ? "never" : names.joined(separator: " | "));

            export interface SchemeSpec {
              type: string;
              in?: string;
              name?: string;
              scheme?: string;
            }

            export const securitySchemes: Record<string, SchemeSpec> = \(TypeScript.pretty(.object(table)));

            """ + RuntimeFiles.securityRuntime
    }

    func adapterFile() -> String {
        var text =
            RuntimeFiles.header + origin + """
                import type express from "express";
                import { operations, type Handlers, type OperationSpec, type RequestInput } from "./operations";
                import type * as Operations from "./operations";
                import { errorBody, requestIdOf, type ErrorFormat, type ErrorSpec, type FieldError, type HandlerResult } from "./runtime";
                import { authenticate, type SecurityHooks } from "./security";
                import { coerce, parseCookies, validate, type ParameterSpec } from "./validation";

                /** The path part of servers[0].url; src/app.ts mounts the router there. */
                export const basePath = \(TypeScript.literal(.string(model.basePath.isEmpty ? "/" : model.basePath)));

                /** The error body format chosen when scaffolding (`error_format`). */
                export const errorFormat: ErrorFormat = \(TypeScript.literal(.string(errorFormat)));

                type Call = (handlers: Handlers, input: RequestInput) => Promise<HandlerResult>;

                const calls: Record<string, Call> = {

                """
        for operation in model.operations {
            text +=
                "  \(operation.identifier): (handlers, input) => "
                + "handlers.\(operation.identifier)(input as Operations.\(operation.typeName)Request),\n"
        }
        return text + "};\n\n" + RuntimeFiles.adapterRuntime
    }

    func registryFile() -> String {
        var text = RuntimeFiles.header + origin + "import type { Handlers } from \"./operations\";\n"
        for operation in model.operations {
            text += "import { \(operation.identifier) } from \"../handlers/\(operation.identifier)\";\n"
        }
        text += "\nexport const handlers: Handlers = {\n"
        for operation in model.operations { text += "  \(operation.identifier),\n" }
        return text + "};\n"
    }

    func handlerFile(_ operation: APIModel.Operation) -> String {
        let summary = operation.summary.isEmpty ? "" : ": \(comment(operation.summary))"
        return """
            import type { \(operation.typeName)Request } from "../generated/operations";
            import { notImplemented, type HandlerResult } from "../generated/runtime";

            /**
             * \(operation.method.uppercased()) \(comment(operation.path))\(summary)
             *
             * Created once by senior-backend scaffold and never overwritten: this file is yours.
             * Return `ok(body)` or `{ status, body }` for success, `fail(status, code, message)` for an error
             * (both from ../generated/runtime). Parameters and body arrive validated and typed.
             */
            export async function \(operation.identifier)(request: \(operation.typeName)Request): Promise<HandlerResult> {
              void request;
              return notImplemented(\(TypeScript.literal(.string(operation.identifier))));
            }

            """
    }

    func appFile() -> String {
        let schemes = model.securitySchemes.map { scheme in
            "  // \(TypeScript.literal(.string(scheme.name))): async (credential, context) => null,"
        }
        let hooks =
            schemes.isEmpty
            ? "export const securityHooks: SecurityHooks = {};"
            : "export const securityHooks: SecurityHooks = {\n" + schemes.joined(separator: "\n") + "\n};"
        return """
            // Created once by senior-backend scaffold and never overwritten: this file is yours.
            import express from "express";
            import { basePath, createRouter, errorHandler, notFoundHandler } from "./generated/express";
            import { handlers } from "./generated/handler-registry";
            import type { SecurityHooks } from "./generated/security";

            /**
             * One hook per security scheme: it gets the credential from the request and returns the
             * principal, or a falsy value to refuse. Until a scheme has a hook, every operation that needs
             * it answers 401 (fail closed).
             */
            \(hooks)

            export function createApp(): express.Application {
              const app = express();
              app.disable("x-powered-by");
              app.use(express.json({ limit: "1mb" }));
              app.use(basePath, createRouter(express.Router(), handlers, { security: securityHooks }));
              app.use(notFoundHandler());
              app.use(errorHandler());
              return app;
            }

            """
    }

    func serverFile() -> String {
        """
        // Created once by senior-backend scaffold and never overwritten: this file is yours.
        import { createApp } from "./app";

        // Read through globalThis so that the project compiles without @types/node.
        const host = globalThis as unknown as {
          process: { env: Record<string, string | undefined> };
          console: { log(message: string): void };
        };
        const port = Number(host.process.env.PORT ?? "3000");
        const address = host.process.env.HOST ?? "127.0.0.1";

        createApp().listen(port, address, () => {
          host.console.log(`listening on http://${address}:${port}`);
        });

        """
    }

    func packageFile() -> String {
        let words = Names.words(model.title).map { $0.lowercased() }
        let name = words.isEmpty ? "api" : words.joined(separator: "-")
        var object = JSONObject()
        object["name"] = .string(String(name.prefix(100)))
        object["version"] = .string("0.1.0")
        object["private"] = .bool(true)
        object["description"] = .string("\(model.title), scaffolded from its OpenAPI document by senior-backend")
        object["main"] = .string("dist/server.js")
        object["scripts"] = .object(
            JSONObject(["build": .string("tsc -p ."), "start": .string("node dist/server.js")]))
        object["dependencies"] = .object(JSONObject(["express": .string("^4.21.2")]))
        object["devDependencies"] = .object(JSONObject(["typescript": .string("^5.7.3")]))
        return TypeScript.pretty(.object(object), quoteKeys: true) + "\n"
    }

    func tsconfigFile() -> String {
        """
        {
          "compilerOptions": {
            "target": "ES2020",
            "module": "commonjs",
            "lib": ["ES2020"],
            "strict": true,
            "noImplicitReturns": true,
            "noFallthroughCasesInSwitch": true,
            "esModuleInterop": true,
            "skipLibCheck": true,
            "types": [],
            "rootDir": "src",
            "outDir": "dist"
          },
          "include": ["src"]
        }

        """
    }

    func readmeFile() -> String {
        """
        # \(model.title)

        Scaffolded by `senior-backend scaffold` from an OpenAPI \(model.version) document (Express, TypeScript).

        ```sh
        npm install          # or, on Debian: apt-get install node-typescript node-express
        npx tsc -p .         # Debian: tsc -p .
        PORT=3000 node dist/server.js   # Debian: NODE_PATH=/usr/share/nodejs node dist/server.js
        ```

        - `src/handlers/*.ts`: one handler per operation, created once and never overwritten. Each starts
          as a stub answering 501; replace its body.
        - `src/app.ts`: the Express app and the security hooks (every scheme fails closed with 401 until
          it has a hook). Created once.
        - `src/generated/`: types, the operation table, validators, security checks and the Express
          adapter. Rewritten on every scaffold run; a hand edit there is refused unless `--force`.
        - The server listens on `PORT` (default 3000) at `HOST` (default 127.0.0.1); mounted at `\(model.basePath.isEmpty ? "/" : model.basePath)`.

        """
    }
}
