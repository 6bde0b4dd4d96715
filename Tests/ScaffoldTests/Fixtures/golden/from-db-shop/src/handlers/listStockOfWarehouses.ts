import type { ListStockOfWarehousesRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows, relations } from "../generated/db";

/**
 * GET /warehouses/{code}/stock: List the stock rows of one warehouses row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listStockOfWarehouses(request: ListStockOfWarehousesRequest): Promise<HandlerResult> {
  return listRows("stock", request, relations["warehouses/stock"]);
}
