"use client";
import { useId } from "react";
import { usePathname } from "next/navigation";
import { useLogout, useSession } from "@/lib/queries/hooks";
import { signinPath, SIGNIN_PATH } from "@/lib/queries/signin";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/error-text";
import { useToast } from "@/components/ui/toast";

/**
 * Right side of the header: who is signed in (groups in the tooltip) and Sign out; a red
 * warning on every page when the console runs without authentication; a Sign in link when
 * signed out. Nothing while the session is unknown.
 */
export function UserMenu() {
  const t = useT();
  const pathname = usePathname() ?? "/";
  const { data: session } = useSession();
  if (!session) return null;
  if (session.mode === "none") return <NoAuthBadge />;
  if (session.user) return <SignedIn name={session.user.name} groups={session.user.groups} />;
  if (pathname === SIGNIN_PATH) return null;
  return (
    // A full navigation: the sign-in page is rendered fresh, without this tab's cached answers.
    <a
      href={signinPath({ next: pathname })}
      className="rounded-md px-2.5 py-1 text-sm font-medium text-white hover:bg-white/10"
      data-testid="sign-in-link"
    >
      {t("auth.menu.signIn")}
    </a>
  );
}

function NoAuthBadge() {
  const t = useT();
  const descId = useId();
  return (
    <>
      <span
        // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users reach the explanation the tooltip gives
        tabIndex={0}
        title={t("auth.none.title")}
        aria-describedby={descId}
        data-testid="auth-none-badge"
        className="rounded-md bg-red-600 px-2.5 py-1 text-xs font-semibold tracking-wide whitespace-nowrap text-white uppercase ring-1 ring-red-300"
      >
        {t("auth.none.badge")}
      </span>
      <span id={descId} className="sr-only">
        {t("auth.none.title")}
      </span>
    </>
  );
}

function SignedIn({ name, groups }: { name: string; groups: string[] }) {
  const t = useT();
  const toast = useToast();
  const logout = useLogout();
  const signedOut = signinPath({ reason: "signed-out" });
  const signOut = () =>
    logout.mutate(undefined, {
      // Full navigation: nothing of the old session stays in this tab's cache.
      onSuccess: (res) => window.location.assign(res.redirect ?? signedOut),
      onError: (err) => {
        // Already expired: the user is signed out either way.
        if (err.status === 401) window.location.assign(signedOut);
        else toast("error", t("auth.menu.signOutFailed", { message: errorText(err, t) }));
      },
    });
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of header controls, not a form: <fieldset> would say otherwise
    <div className="flex items-center gap-2" role="group" aria-label={t("auth.menu.label")} data-testid="user-menu">
      <span
        className="max-w-[16rem] truncate text-sm text-slate-200"
        title={t("auth.menu.userTitle", { name, groups: groups.join(", ") || t("auth.menu.noGroups") })}
        data-testid="user-name"
      >
        {name}
      </span>
      <button
        type="button"
        className="rounded-md border border-white/25 px-2.5 py-1 text-sm text-white hover:bg-white/10 disabled:opacity-60"
        disabled={logout.isPending || logout.isSuccess}
        onClick={signOut}
        data-testid="sign-out"
      >
        {logout.isPending || logout.isSuccess ? t("auth.menu.signingOut") : t("auth.menu.signOut")}
      </button>
    </div>
  );
}
