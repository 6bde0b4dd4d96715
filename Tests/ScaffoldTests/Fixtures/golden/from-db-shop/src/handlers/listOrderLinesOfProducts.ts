import type { ListOrderLinesOfProductsRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows, relations } from "../generated/db";

/**
 * GET /products/{sku}/order_lines: List the order_lines rows of one products row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listOrderLinesOfProducts(request: ListOrderLinesOfProductsRequest): Promise<HandlerResult> {
  return listRows("order_lines", request, relations["products/order_lines"]);
}
