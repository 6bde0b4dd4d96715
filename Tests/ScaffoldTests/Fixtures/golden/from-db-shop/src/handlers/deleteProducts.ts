import type { DeleteProductsRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { deleteRow } from "../generated/db";

/**
 * DELETE /products/{sku}: Delete one products row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function deleteProducts(request: DeleteProductsRequest): Promise<HandlerResult> {
  return deleteRow("products", request);
}
