import type { UpdateCustomersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { updateRow } from "../generated/db";

/**
 * PATCH /customers/{id}: Change columns of one customers row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function updateCustomers(request: UpdateCustomersRequest): Promise<HandlerResult> {
  return updateRow("customers", request);
}
