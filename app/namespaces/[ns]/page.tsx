import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { ServicesTable } from "@/components/services/services-table";
import { isDnsLabel } from "@/lib/names";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { NamespaceNotifications } from "@/components/services/namespace-notifications";

interface Props {
  params: Promise<{ ns: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { ns } = await params;
  return { title: ns };
}

export default async function NamespacePage({ params }: Props) {
  const { ns } = await params;
  if (!isDnsLabel(ns)) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <Breadcrumbs
        label={t("nav.breadcrumb")}
        items={[
          { label: t("nav.namespaces"), href: "/namespaces" },
          { label: ns, mono: true },
        ]}
      />
      <div className="flex items-end justify-between">
        <h1>{t("services.title", { namespace: ns })}</h1>
        <Link href={`/releases?namespace=${encodeURIComponent(ns)}`} className="link text-sm">
          {t("services.releasesInNamespace")}
        </Link>
      </div>
      <ServicesTable namespace={ns} />
      <NamespaceNotifications namespace={ns} />
    </div>
  );
}
