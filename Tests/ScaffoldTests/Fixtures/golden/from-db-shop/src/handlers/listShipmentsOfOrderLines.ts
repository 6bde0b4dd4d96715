import type { ListShipmentsOfOrderLinesRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { listRows, relations } from "../generated/db";

/**
 * GET /order_lines/{order_id}/{line_no}/shipments: List the shipments rows of one order_lines row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function listShipmentsOfOrderLines(request: ListShipmentsOfOrderLinesRequest): Promise<HandlerResult> {
  return listRows("shipments", request, relations["order_lines/shipments"]);
}
