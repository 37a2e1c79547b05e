import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { ServiceDetail } from "@/components/services/service-detail";
import { isDnsLabel } from "@/components/services/names";

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
      <nav aria-label={t("nav.breadcrumb")} className="text-sm text-slate-500">
        <Link href="/namespaces" className="link">
          {t("nav.namespaces")}
        </Link>{" "}
        /{" "}
        <Link href={`/namespaces/${encodeURIComponent(ns)}`} className="link font-mono">
          {ns}
        </Link>{" "}
        / <span className="font-mono">{name}</span>
      </nav>
      <h1>{t("services.detailTitle", { name })}</h1>
      <ServiceDetail namespace={ns} name={name} />
    </div>
  );
}
