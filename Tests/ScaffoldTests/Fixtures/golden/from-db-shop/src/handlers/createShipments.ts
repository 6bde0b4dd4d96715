import type { CreateShipmentsRequest } from "../generated/operations";
import type { HandlerResult } from "../generated/runtime";
import { createRow } from "../generated/db";

/**
 * POST /shipments: Insert a shipments row.
 *
 * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
 * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
 * your rules (authorisation, extra checks) around the call.
 */
export async function createShipments(request: CreateShipmentsRequest): Promise<HandlerResult> {
  return createRow("shipments", request);
}
