import type { ListShipmentsOfStockRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows, relations } from "../generated/db";

/**
 * GET /stock/{warehouse_code}/{sku}/shipments: List the shipments rows of one stock row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listShipmentsOfStock(request: ListShipmentsOfStockRequest): Promise<HandlerResult> {
  return listRows("shipments", request, relations["stock/shipments"]);
}
