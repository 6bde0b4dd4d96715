import type { ListWarehousesRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows } from "../generated/db";

/**
 * GET /warehouses: List warehouses rows, by key, in pages.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listWarehouses(request: ListWarehousesRequest): Promise<HandlerResult> {
  return listRows("warehouses", request);
}
