import type { UpdateOrderLinesRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { updateRow } from "../generated/db";

/**
 * PATCH /order_lines/{order_id}/{line_no}: Change columns of one order_lines row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function updateOrderLines(request: UpdateOrderLinesRequest): Promise<HandlerResult> {
  return updateRow("order_lines", request);
}
