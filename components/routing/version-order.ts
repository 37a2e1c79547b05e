// Natural order of version labels ("v2" before "v10"). PURE.
const collator = new Intl.Collator("en", { numeric: true });

export function compareVersions(a: string, b: string): number {
  return collator.compare(a, b);
}
