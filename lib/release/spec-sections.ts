// The task spec in the sections the create wizard fills one step at a time, and which section
// a field path belongs to. The wizard and the server's step check (POST /api/tasks/preview
// ?check=<section>) share it, so a problem the server finds lands on the step that shows its
// field. PURE.
import { z } from "zod";
import { TaskSpecSchema, formatZodError, type FieldError, type TaskSpec } from "./spec";

export const SPEC_SECTIONS = ["basic", "service", "version", "traffic"] as const;
export type SpecSection = (typeof SPEC_SECTIONS)[number];

/**
 * Sections the preview endpoint checks before the spec is complete; checking "traffic" is the
 * full preview, since the traffic settings are the last part of a spec.
 */
export const CHECK_SECTIONS = ["basic", "service", "version"] as const;
export type CheckSection = (typeof CHECK_SECTIONS)[number];

/** The top-level spec fields each section fills. rollout/routing have no step: they belong to none. */
const SECTION_FIELDS: Record<SpecSection, readonly string[]> = {
  basic: ["name", "namespace", "strategy"],
  service: ["service", "baseVersion"],
  version: ["newVersion"],
  traffic: ["traffic", "batch"],
};

/** "newVersion.env[0].name" -> "version"; "" or an unknown root -> null. */
export function sectionOfPath(path: string): SpecSection | null {
  for (const section of SPEC_SECTIONS) {
    for (const root of SECTION_FIELDS[section]) {
      if (path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`)) return section;
    }
  }
  return null;
}

/** Sections filled by the time `upTo` is: "service" -> basic, service. */
export function sectionsThrough(upTo: SpecSection): SpecSection[] {
  return SPEC_SECTIONS.slice(0, SPEC_SECTIONS.indexOf(upTo) + 1);
}

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
