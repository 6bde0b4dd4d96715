import type { LoginRequest } from "../generated/operations";
import { notImplemented, type HandlerResult } from "../generated/runtime";

/**
 * POST /auth/login
 *
 * Created once by senior-backend scaffold and never overwritten: this file is yours.
 * Return `ok(body)` or `{ status, body }` for success, `fail(status, code, message)` for an error
 * (both from ../generated/runtime). Parameters and body arrive validated and typed.
 */
export async function login(request: LoginRequest): Promise<HandlerResult> {
  void request;
  return notImplemented("login");
}
