import { z } from "zod";

/** POST /api/auth/login (GC_AUTH=token): the request body, shared by the handler and the OpenAPI document. */
export const TokenLogin = z
  .object({ token: z.string().trim().min(1, { error: "paste a Kubernetes bearer token" }).max(16_384) })
  .strict();
