import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { ServiceDetail } from "@/components/services/service-detail";
import { isDnsLabel } from "@/lib/names";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";

interface Props {
  params: Promise<{ ns: string; name: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { ns, name } = await params;
  return { title: `${name} · ${ns}` };
}

export default async function ServicePage({ params }: Props) {
  const { ns, name } = await params;
  if (!isDnsLabel(ns) || !isDnsLabel(name)) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <Breadcrumbs
        label={t("nav.breadcrumb")}
        items={[
          { label: t("nav.namespaces"), href: "/namespaces" },
          { label: ns, href: `/namespaces/${encodeURIComponent(ns)}`, mono: true },
          { label: name, mono: true },
        ]}
      />
      <h1>{t("services.detailTitle", { name })}</h1>
      <ServiceDetail namespace={ns} name={name} />
    </div>
  );
}
