import type { ListOrdersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows } from "../generated/db";

/**
 * GET /orders: List orders rows, by key, in pages.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listOrders(request: ListOrdersRequest): Promise<HandlerResult> {
  return listRows("orders", request);
}
