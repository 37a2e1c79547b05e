import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { getT } from "@/lib/i18n/server";
import { StrategyCards } from "@/components/releases/strategy-cards";
import { JobsList } from "@/components/releases/jobs-list";
import { LoadingBlock } from "@/components/ui/query-state";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("releases.title") };
}

export default async function ReleasesPage() {
  const t = await getT();
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <div>
          <h1>{t("releases.title")}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("releases.subtitle")}</p>
        </div>
        <Link href="/releases/new" className="btn btn-primary" data-testid="new-release">
          {t("releases.new")}
        </Link>
      </div>
      <section aria-labelledby="strategies-heading" className="space-y-3">
        <h2 id="strategies-heading">{t("releases.strategies")}</h2>
        <StrategyCards t={t} />
      </section>
      {/* useSearchParams() needs a Suspense boundary so the rest of the page can render first. */}
      <Suspense fallback={<LoadingBlock />}>
        <JobsList />
      </Suspense>
    </div>
  );
}
