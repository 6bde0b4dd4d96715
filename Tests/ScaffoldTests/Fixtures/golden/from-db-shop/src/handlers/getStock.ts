import type { GetStockRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { getRow } from "../generated/db";

/**
 * GET /stock/{warehouse_code}/{sku}: Read one stock row by key.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function getStock(request: GetStockRequest): Promise<HandlerResult> {
  return getRow("stock", request);
}
