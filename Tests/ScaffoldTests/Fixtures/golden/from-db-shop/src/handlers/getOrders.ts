import type { GetOrdersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { getRow } from "../generated/db";

/**
 * GET /orders/{id}: Read one orders row by key.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function getOrders(request: GetOrdersRequest): Promise<HandlerResult> {
  return getRow("orders", request);
}
