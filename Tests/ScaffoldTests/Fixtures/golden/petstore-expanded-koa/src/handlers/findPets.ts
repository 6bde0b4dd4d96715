import type { FindPetsRequest } from "../generated/operations";
import { notImplemented, type HandlerResult } from "../generated/runtime";

/**
 * GET /pets: Returns all pets from the system that the user has access to
 *
 * Created once by senior-backend scaffold and never overwritten: this file is yours.
 * Return `ok(body)` or `{ status, body }` for success, `fail(status, code, message)` for an error
 * (both from ../generated/runtime). Parameters and body arrive validated and typed.
 */
export async function findPets(request: FindPetsRequest): Promise<HandlerResult> {
  void request;
  return notImplemented("findPets");
}
