import type { Metadata } from "next";
import { getT } from "@/lib/i18n/server";
import { ClusterOverview } from "@/components/overview/cluster-overview";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("overview.title") };
}

export default async function OverviewPage() {
  const t = await getT();
  return (
    <div className="space-y-6">
      <div>
        <h1>{t("overview.title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("overview.subtitle")}</p>
      </div>
      <ClusterOverview />
    </div>
  );
}
