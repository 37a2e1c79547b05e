import type { Metadata } from "next";
import { getT } from "@/lib/i18n/server";
import { ReleaseWizard } from "@/components/wizard/wizard";
import { isStrategy } from "@/components/releases/filters";
import { isDnsLabel } from "@/lib/names";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("wizard.title") };
}

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export default async function NewReleasePage({ searchParams }: Props) {
  const t = await getT();
  const sp = await searchParams;
  const namespace = one(sp.namespace);
  const service = one(sp.service);
  const strategy = one(sp.strategy);
  // Prefill only what could be valid; a mangled link starts the wizard blank instead of broken.
  const prefill = {
    namespace: namespace && isDnsLabel(namespace) ? namespace : undefined,
    service: service && isDnsLabel(service) ? service : undefined,
    strategy: isStrategy(strategy) ? strategy : undefined,
  };
  return (
    <div className="space-y-4">
      <Breadcrumbs
        label={t("nav.breadcrumb")}
        items={[{ label: t("nav.releases"), href: "/releases" }, { label: t("wizard.title") }]}
      />
      <h1>{t("wizard.title")}</h1>
      <ReleaseWizard
        key={`${prefill.namespace ?? ""}/${prefill.service ?? ""}/${prefill.strategy ?? ""}`}
        prefill={prefill}
      />
    </div>
  );
}
