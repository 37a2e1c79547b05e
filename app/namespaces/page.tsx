import type { Metadata } from "next";
import { getT } from "@/lib/i18n/server";
import { NamespaceList } from "@/components/services/namespace-list";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("namespaces.title") };
}

export default async function NamespacesPage() {
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1>{t("namespaces.title")}</h1>
      <NamespaceList />
    </div>
  );
}
