import type { GetCustomersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { getRow } from "../generated/db";

/**
 * GET /customers/{id}: Read one customers row by key.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function getCustomers(request: GetCustomersRequest): Promise<HandlerResult> {
  return getRow("customers", request);
}
