import type { FindPetByIdRequest } from "../generated/operations";
import { notImplemented, type HandlerResult } from "../generated/runtime";

/**
 * GET /pets/{id}: Returns a user based on a single ID, if the user does not have access to the pet
 *
 * Created once by senior-backend scaffold and never overwritten: this file is yours.
 * Return `ok(body)` or `{ status, body }` for success, `fail(status, code, message)` for an error
 * (both from ../generated/runtime). Parameters and body arrive validated and typed.
 */
export async function findPetById(request: FindPetByIdRequest): Promise<HandlerResult> {
  void request;
  return notImplemented("findPetById");
}
