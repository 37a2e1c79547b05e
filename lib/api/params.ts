import { z } from "zod";
import { dnsLabel } from "@/lib/release/spec";

// Path parameters are validated like body fields: a malformed name is a 400 that names it.
export const NamespaceParams = z.object({ ns: dnsLabel });
export const ServiceParams = z.object({ ns: dnsLabel, name: dnsLabel });
export const TaskParams = z.object({ id: z.string().min(1).max(64).regex(/^[a-z0-9]+$/, "task id must be lowercase alphanumeric") });
