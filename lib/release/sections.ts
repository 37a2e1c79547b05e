// The task spec in the sections the create wizard fills one step at a time, and which section a
// field path belongs to, without the schema: the wizard's first page load needs only these
// names (spec-sections.ts adds the schema checks, which the browser loads with the validator). PURE.
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
  traffic: ["traffic", "batch", "steps", "analysis", "onFailure", "notifications"],
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
