import type { CreateCustomersRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { createRow } from "../generated/db";

/**
 * POST /customers: Insert a customers row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function createCustomers(request: CreateCustomersRequest): Promise<HandlerResult> {
  return createRow("customers", request);
}
