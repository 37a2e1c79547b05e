"use client";
import Link from "next/link";
import { useHealth } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { healthLevel, type HealthLevel } from "./health";

const DOT: Record<HealthLevel, string> = {
  ok: "bg-emerald-400",
  degraded: "bg-amber-400",
  down: "bg-red-500",
  unknown: "bg-slate-400",
};

export function HealthDot() {
  const t = useT();
  const { data, isError } = useHealth();
  const level = healthLevel(data, isError);
  const text = t(`health.level.${level}`);
  return (
    <Link
      href="/"
      className="flex items-center gap-2 rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-white/10"
      data-testid="health-dot"
      data-level={level}
      title={text}
    >
      <span
        className={`inline-block size-2.5 rounded-full ${DOT[level]} ${level === "down" ? "animate-pulse" : ""}`}
        aria-hidden
      />
      <span>{text}</span>
    </Link>
  );
}

/** Page-wide banner while the Kubernetes API server cannot be reached. */
export function ClusterStatusBanner() {
  const t = useT();
  const { data } = useHealth();
  if (!data || data.kubernetes.ok) return null;
  return (
    <div
      role="alert"
      data-testid="cluster-banner"
      className="border-b border-amber-300 bg-amber-50 px-6 py-2 text-sm text-amber-950"
    >
      <div className="mx-auto max-w-[1600px]">
        <strong>{t("errors.clusterUnreachable")}</strong>{" "}
        <span className="opacity-80">
          {t("errors.clusterUnreachableHint", { message: data.kubernetes.error ?? "" })}
        </span>
      </div>
    </div>
  );
}
