import Link from "next/link";
import { getT } from "@/lib/i18n/server";

export default async function NotFound() {
  const t = await getT();
  return (
    <div className="mx-auto mt-16 max-w-xl text-center" data-testid="not-found">
      <p className="font-mono text-6xl font-bold text-slate-300">404</p>
      <h1 className="mt-4">{t("notFound.title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("notFound.body")}</p>
      <div className="mt-6 flex justify-center gap-2">
        <Link href="/" className="btn btn-primary">
          {t("nav.overview")}
        </Link>
        <Link href="/releases" className="btn">
          {t("nav.releases")}
        </Link>
      </div>
    </div>
  );
}
