import Link from "next/link";
import { Fragment } from "react";

export interface Crumb {
  label: string;
  /** Absent on the current page (the last crumb). */
  href?: string;
  /** Kubernetes names read better in the monospace face. */
  mono?: boolean;
}

/** The trail above a page's title. No hooks: usable from server and client components alike. */
export function Breadcrumbs({ label, items }: { label: string; items: Crumb[] }) {
  return (
    <nav aria-label={label} className="text-sm text-slate-500">
      {items.map((c, i) => (
        <Fragment key={`${i}-${c.label}`}>
          {i > 0 && " / "}
          {c.href ? (
            <Link href={c.href} className={c.mono ? "link font-mono" : "link"}>
              {c.label}
            </Link>
          ) : (
            <span className={c.mono ? "font-mono" : undefined}>{c.label}</span>
          )}
        </Fragment>
      ))}
    </nav>
  );
}
