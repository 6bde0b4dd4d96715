import type { GetOrderLinesRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { getRow } from "../generated/db";

/**
 * GET /order_lines/{order_id}/{line_no}: Read one order_lines row by key.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function getOrderLines(request: GetOrderLinesRequest): Promise<HandlerResult> {
  return getRow("order_lines", request);
}
