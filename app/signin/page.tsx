import type { Metadata } from "next";
import { getT } from "@/lib/i18n/server";
import { SigninPanel } from "@/components/auth/signin-panel";
import { isSigninReason, safeNextPath, signinTextOf } from "@/lib/queries/signin";

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("auth.signin.title") };
}

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/**
 * The sign-in page, and the "signed out" screen (?reason=expired|signed-out|error). Rendered
 * without a session: everything it needs comes from GET /api/auth/session.
 */
export default async function SigninPage({ searchParams }: Props) {
  const sp = await searchParams;
  const reason = one(sp.reason);
  // A provider's error text arrives in the URL: shown as text, and not at any length.
  const message = one(sp.message)?.slice(0, 300) ?? null;
  return (
    <div className="mx-auto max-w-xl py-6">
      <SigninPanel
        reason={isSigninReason(reason) ? reason : null}
        message={message}
        text={signinTextOf(one(sp.key), one(sp.params))}
        next={safeNextPath(one(sp.next))}
      />
    </div>
  );
}
