import type { ListOrdersOfCustomersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows, relations } from "../generated/db";

/**
 * GET /customers/{id}/orders: List the orders rows of one customers row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listOrdersOfCustomers(request: ListOrdersOfCustomersRequest): Promise<HandlerResult> {
  return listRows("orders", request, relations["customers/orders"]);
}
