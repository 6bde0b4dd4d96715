import type { DeleteOrderLinesRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { deleteRow } from "../generated/db";

/**
 * DELETE /order_lines/{order_id}/{line_no}: Delete one order_lines row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function deleteOrderLines(request: DeleteOrderLinesRequest): Promise<HandlerResult> {
  return deleteRow("order_lines", request);
}
