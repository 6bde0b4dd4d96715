import type { GetShipmentsRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { getRow } from "../generated/db";

/**
 * GET /shipments/{id}: Read one shipments row by key.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function getShipments(request: GetShipmentsRequest): Promise<HandlerResult> {
  return getRow("shipments", request);
}
