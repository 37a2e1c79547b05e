import { z } from "zod";
import { dnsLabel } from "@/lib/release/spec";

// Path parameters are validated like body fields: a malformed name is a 400 that names it.
export const NamespaceParams = z.object({ ns: dnsLabel });
export const ServiceParams = z.object({ ns: dnsLabel, name: dnsLabel });
export const StepTemplateParams = z.object({ ns: dnsLabel, name: dnsLabel });
// Any task id that names no task is a 404 (the use-cases check), whatever its shape.
export const TaskParams = z.object({ id: z.string() });
