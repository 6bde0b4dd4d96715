import type { UpdateStockRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { updateRow } from "../generated/db";

/**
 * PATCH /stock/{warehouse_code}/{sku}: Change columns of one stock row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function updateStock(request: UpdateStockRequest): Promise<HandlerResult> {
  return updateRow("stock", request);
}
