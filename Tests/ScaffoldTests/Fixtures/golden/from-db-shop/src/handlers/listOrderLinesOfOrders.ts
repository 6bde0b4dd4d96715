import type { ListOrderLinesOfOrdersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows, relations } from "../generated/db";

/**
 * GET /orders/{id}/order_lines: List the order_lines rows of one orders row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listOrderLinesOfOrders(request: ListOrderLinesOfOrdersRequest): Promise<HandlerResult> {
  return listRows("order_lines", request, relations["orders/order_lines"]);
}
