// The values a content rule of kind "os" or "browser" may take. Apart from the spec schema so the
// wizard's rule editor can list them without loading zod. PURE.
export const OS_VALUES = ["windows", "macos", "linux", "android", "ios"] as const;
export const BROWSER_VALUES = ["chrome", "firefox", "safari", "edge"] as const;
