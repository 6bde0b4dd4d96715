/// The schema-independent part of `src/generated/db.ts` and the node-postgres declarations.
///
/// Every statement uses `$1..$n` parameters; identifiers come only from the generated table specs
/// (quoted when generated), never from a request. Lists are keyset-paginated: rows in key order, the
/// cursor is the last row's key (base64url JSON), and the next page starts after it with a row
/// comparison `(k1, k2) > ($1, $2)`, which the primary key's index serves.
enum CrudRuntime {
    static let pgShim =
        ProjectEmitter.generatedHeader + #"""
            // The part of node-postgres 8 that this project uses, declared here so that `tsc` needs neither
            // @types/pg nor @types/node. If you install @types/pg, delete this file from a copy of the project.
            declare module "pg" {
              export interface QueryResult {
                rows: Record<string, unknown>[];
                rowCount: number | null;
              }
              export interface PoolConfig {
                connectionString?: string;
                max?: number;
              }
              export class Pool {
                constructor(config?: PoolConfig);
                query(text: string, values?: unknown[]): Promise<QueryResult>;
                end(): Promise<void>;
              }
            }

            """#

    static let runtime = #"""

        export interface ColumnSpec {
          /** The quoted identifier. */
          sql: string;
          /** The SQL taking a parameter into the column's type; `$` stands for the placeholder. */
          input: string;
          /** json/jsonb: sent as JSON text. */
          json: boolean;
          /** Its name as a path or query parameter. */
          param: string;
        }

        export interface TableSpec {
          /** The quoted, schema-qualified table. */
          relation: string;
          /** The select list: every column in its JSON form. */
          select: string;
          path: string;
          /** The property holding the row's links (`links`, or `_links` when a column is named so). */
          links: string;
          key: readonly string[];
          columns: Record<string, ColumnSpec>;
          /** Columns that lead an index: equality filters of the list. */
          filters: readonly string[];
          /** `links.<name>`: the row a foreign key points to (child columns in the parent's key order). */
          parents: readonly { name: string; table: string; columns: readonly string[] }[];
          /** `links.<name>`: the nested list of rows pointing at this one. */
          children: readonly string[];
        }

        /** A nested list: the child rows whose foreign key columns equal the parent's key from the path. */
        export interface RelationSpec {
          parent: string;
          name: string;
          columns: readonly { parent: string; child: string }[];
        }

        /** What the CRUD functions read of a request, whatever the framework. */
        export interface CrudRequest {
          path: Record<string, unknown>;
          query: Record<string, unknown>;
          body?: unknown;
        }

        type Row = Record<string, unknown>;

        const host = globalThis as unknown as {
          process: { env: Record<string, string | undefined> };
          console: { error(...values: unknown[]): void };
          Buffer: { from(text: string, encoding: string): { toString(encoding: string): string } };
        };

        let shared: Pool | undefined;

        /** The pool, created on first use from DATABASE_URL. */
        export function pool(): Pool {
          if (shared === undefined) {
            const connectionString = host.process.env.DATABASE_URL;
            if (connectionString === undefined || connectionString === "") {
              throw new Error("DATABASE_URL is not set: export the database's connection string before starting");
            }
            shared = new Pool({ connectionString, max: 10 });
          }
          return shared;
        }

        function placeholder(column: ColumnSpec, values: unknown[], value: unknown): string {
          // null is SQL NULL for every column, json ones included.
          values.push(column.json && value !== null ? JSON.stringify(value) : value);
          const position = `$${values.length}`;
          return column.input.replace("$", () => position);
        }

        function itemPath(table: TableSpec, values: readonly unknown[]): string {
          return table.path + values.map((value) => `/${encodeURIComponent(String(value))}`).join("");
        }

        function present(table: TableSpec, row: Row): Row {
          const self = itemPath(table, table.key.map((column) => row[column]));
          const links: Record<string, string | null> = { self };
          for (const parent of table.parents) {
            const values = parent.columns.map((column) => row[column]);
            const target = tables[parent.table];
            links[parent.name] = values.some((value) => value === null || value === undefined) ? null : itemPath(target, values);
          }
          for (const child of table.children) links[child] = `${self}/${child}`;
          return { ...row, [table.links]: links };
        }

        function keyCondition(table: TableSpec, values: unknown[], keyValues: readonly unknown[]): string {
          const columns = table.key.map((column) => table.columns[column]);
          const placeholders = columns.map((column, index) => placeholder(column, values, keyValues[index]));
          return `(${columns.map((column) => column.sql).join(", ")}) = (${placeholders.join(", ")})`;
        }

        function keyFromPath(table: TableSpec, request: CrudRequest): unknown[] {
          return table.key.map((column) => request.path[table.columns[column].param]);
        }

        function describeKey(name: string, key: readonly unknown[]): string {
          return `${name} ${key.map((value) => String(value)).join("/")}`;
        }

        /** Database refusals the client caused become 400/409; anything else is rethrown (500). */
        function refusal(error: unknown): HandlerResult {
          const failure = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
          const code = typeof failure.code === "string" ? failure.code : "";
          const field = typeof failure.column === "string" ? `body.${failure.column}` : "body";
          const message = typeof failure.message === "string" ? failure.message : "refused by the database";
          if (code === "23505") return fail(409, "CONFLICT", `a row with the same unique key exists (${message})`);
          if (code === "23503") return fail(409, "CONFLICT", `a foreign key refused the change (${message})`);
          if (code === "23502" || code === "23514" || code === "428C9" || code.startsWith("22")) {
            return fail(400, "VALIDATION_ERROR", `invalid request: ${message}`, [{ field, message }]);
          }
          host.console.error(error);
          throw error;
        }

        function encodeCursor(values: readonly unknown[]): string {
          return host.Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
        }

        function decodeCursor(cursor: string, length: number): unknown[] | undefined {
          try {
            const values: unknown = JSON.parse(host.Buffer.from(cursor, "base64url").toString("utf8"));
            return Array.isArray(values) && values.length === length ? values : undefined;
          } catch {
            return undefined;
          }
        }

        function query(pairs: [string, unknown][]): string {
          const parts = pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
          return parts.length === 0 ? "" : `?${parts.join("&")}`;
        }

        /** A page of rows in key order, after `cursor`, filtered by the index-leading columns given. */
        export async function listRows(name: string, request: CrudRequest, relation?: RelationSpec): Promise<HandlerResult> {
          const table = tables[name];
          const limit = typeof request.query.limit === "number" ? request.query.limit : defaultLimit;
          const values: unknown[] = [];
          const conditions: string[] = [];
          const kept: [string, unknown][] = [];
          let path = table.path;
          if (relation !== undefined) {
            const parent = tables[relation.parent];
            const parentKey = keyFromPath(parent, request);
            path = `${itemPath(parent, parentKey)}/${relation.name}`;
            relation.columns.forEach((pair, index) => {
              const column = table.columns[pair.child];
              conditions.push(`${column.sql} = ${placeholder(column, values, parentKey[index])}`);
            });
          }
          for (const filter of table.filters) {
            const column = table.columns[filter];
            const value = request.query[column.param];
            if (value === undefined) continue;
            conditions.push(`${column.sql} = ${placeholder(column, values, value)}`);
            kept.push([column.param, value]);
          }
          if (typeof request.query.cursor === "string") {
            const after = decodeCursor(request.query.cursor, table.key.length);
            if (after === undefined) {
              const details = [{ field: "query.cursor", message: "is not a cursor of this list" }];
              return fail(400, "VALIDATION_ERROR", "invalid request: query.cursor", details);
            }
            const columns = table.key.map((column) => table.columns[column]);
            const placeholders = columns.map((column, index) => placeholder(column, values, after[index]));
            conditions.push(`(${columns.map((column) => column.sql).join(", ")}) > (${placeholders.join(", ")})`);
          }
          values.push(limit + 1);
          const where = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
          const order = table.key.map((column) => table.columns[column].sql).join(", ");
          const sql = `SELECT ${table.select} FROM ${table.relation}${where} ORDER BY ${order} LIMIT $${values.length}`;
          let rows: Row[];
          try {
            rows = (await pool().query(sql, values)).rows;
          } catch (error) {
            return refusal(error);
          }
          if (relation !== undefined && rows.length === 0 && !(await exists(relation.parent, request))) {
            const parentKey = keyFromPath(tables[relation.parent], request);
            return fail(404, "NOT_FOUND", `${describeKey(relation.parent, parentKey)} does not exist`);
          }
          const more = rows.length > limit;
          const items = rows.slice(0, limit).map((row) => present(table, row));
          const last = items[items.length - 1];
          const nextCursor = more && last !== undefined ? encodeCursor(table.key.map((column) => last[column])) : null;
          const next = nextCursor === null ? null : path + query([["limit", limit], ...kept, ["cursor", nextCursor]]);
          return { status: 200, body: { items, next, next_cursor: nextCursor } };
        }

        /** Whether the row the path's key names exists (a nested list of a missing parent is a 404). */
        async function exists(name: string, request: CrudRequest): Promise<boolean> {
          const table = tables[name];
          const values: unknown[] = [];
          const sql = `SELECT 1 FROM ${table.relation} WHERE ${keyCondition(table, values, keyFromPath(table, request))}`;
          return (await pool().query(sql, values)).rows.length > 0;
        }

        export async function getRow(name: string, request: CrudRequest): Promise<HandlerResult> {
          const table = tables[name];
          const key = keyFromPath(table, request);
          const values: unknown[] = [];
          const sql = `SELECT ${table.select} FROM ${table.relation} WHERE ${keyCondition(table, values, key)}`;
          let rows: Row[];
          try {
            rows = (await pool().query(sql, values)).rows;
          } catch (error) {
            return refusal(error);
          }
          if (rows.length === 0) return fail(404, "NOT_FOUND", `${describeKey(name, key)} does not exist`);
          return { status: 200, body: present(table, rows[0]) };
        }

        function bodyColumns(table: TableSpec, body: unknown): [ColumnSpec, unknown][] {
          const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Row) : {};
          return Object.entries(fields)
            .filter(([name]) => Object.prototype.hasOwnProperty.call(table.columns, name))
            .map(([name, value]) => [table.columns[name], value]);
        }

        export async function createRow(name: string, request: CrudRequest): Promise<HandlerResult> {
          const table = tables[name];
          const values: unknown[] = [];
          const given = bodyColumns(table, request.body);
          const placeholders = given.map(([column, value]) => placeholder(column, values, value));
          const target =
            given.length === 0
              ? "DEFAULT VALUES"
              : `(${given.map(([column]) => column.sql).join(", ")}) VALUES (${placeholders.join(", ")})`;
          const sql = `INSERT INTO ${table.relation} ${target} RETURNING ${table.select}`;
          let rows: Row[];
          try {
            rows = (await pool().query(sql, values)).rows;
          } catch (error) {
            return refusal(error);
          }
          const row = present(table, rows[0]);
          return { status: 201, body: row, headers: { Location: String((row[table.links] as Record<string, unknown>).self) } };
        }

        export async function updateRow(name: string, request: CrudRequest): Promise<HandlerResult> {
          const table = tables[name];
          const key = keyFromPath(table, request);
          const values: unknown[] = [];
          const given = bodyColumns(table, request.body);
          if (given.length === 0) {
            const details = [{ field: "body", message: "must set at least one column" }];
            return fail(400, "VALIDATION_ERROR", "invalid request: body", details);
          }
          const assignments = given.map(([column, value]) => `${column.sql} = ${placeholder(column, values, value)}`);
          const condition = keyCondition(table, values, key);
          const sql = `UPDATE ${table.relation} SET ${assignments.join(", ")} WHERE ${condition} RETURNING ${table.select}`;
          let rows: Row[];
          try {
            rows = (await pool().query(sql, values)).rows;
          } catch (error) {
            return refusal(error);
          }
          if (rows.length === 0) return fail(404, "NOT_FOUND", `${describeKey(name, key)} does not exist`);
          return { status: 200, body: present(table, rows[0]) };
        }

        export async function deleteRow(name: string, request: CrudRequest): Promise<HandlerResult> {
          const table = tables[name];
          const key = keyFromPath(table, request);
          const values: unknown[] = [];
          const sql = `DELETE FROM ${table.relation} WHERE ${keyCondition(table, values, key)}`;
          let count: number | null;
          try {
            count = (await pool().query(sql, values)).rowCount;
          } catch (error) {
            return refusal(error);
          }
          if (count === 0) return fail(404, "NOT_FOUND", `${describeKey(name, key)} does not exist`);
          return { status: 204 };
        }

        """#
}
