// The task spec in the sections the create wizard fills one step at a time, and which section
// a field path belongs to. The wizard and the server's step check (POST /api/tasks/preview
// ?check=<section>) share it, so a problem the server finds lands on the step that shows its
// field. PURE.
import { z } from "zod";
import { TaskSpecSchema, formatZodError, type FieldError, type TaskSpec } from "./spec";
import { sectionOfPath, sectionsThrough, type CheckSection, type SpecSection } from "./sections";

export {
  SPEC_SECTIONS,
  CHECK_SECTIONS,
  sectionOfPath,
  sectionsThrough,
  type SpecSection,
  type CheckSection,
} from "./sections";

/** The schema's problems with the fields of the sections through `upTo`; later sections may still be empty. */
export function problemsThrough(input: unknown, upTo: SpecSection): FieldError[] {
  const result = TaskSpecSchema.safeParse(input);
  if (result.success) return [];
  const wanted = new Set<SpecSection>(sectionsThrough(upTo));
  return formatZodError(result.error).details.filter((d) => {
    const section = sectionOfPath(d.path);
    return section !== null && wanted.has(section);
  });
}

const shape = TaskSpecSchema.shape;
const BasicSection = z.object({ name: shape.name, namespace: shape.namespace, strategy: shape.strategy });
const ServiceSection = BasicSection.extend({ service: shape.service, baseVersion: shape.baseVersion });
const VersionSection = ServiceSection.extend({ newVersion: shape.newVersion });

export type BasicPart = Pick<TaskSpec, "name" | "namespace" | "strategy">;
export type ServicePart = BasicPart & Pick<TaskSpec, "service" | "baseVersion">;
export type VersionPart = ServicePart & Pick<TaskSpec, "newVersion">;

/** The typed fields of the sections through `upTo` (call once problemsThrough found none). */
export function parseThrough(input: unknown, upTo: "basic"): BasicPart;
export function parseThrough(input: unknown, upTo: "service"): ServicePart;
export function parseThrough(input: unknown, upTo: "version"): VersionPart;
export function parseThrough(input: unknown, upTo: CheckSection): BasicPart | ServicePart | VersionPart;
export function parseThrough(input: unknown, upTo: CheckSection): BasicPart | ServicePart | VersionPart {
  if (upTo === "basic") return BasicSection.parse(input);
  if (upTo === "service") return ServiceSection.parse(input);
  return VersionSection.parse(input);
}
