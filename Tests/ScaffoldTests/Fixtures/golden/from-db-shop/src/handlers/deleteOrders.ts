import type { DeleteOrdersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { deleteRow } from "../generated/db";

/**
 * DELETE /orders/{id}: Delete one orders row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function deleteOrders(request: DeleteOrdersRequest): Promise<HandlerResult> {
  return deleteRow("orders", request);
}
