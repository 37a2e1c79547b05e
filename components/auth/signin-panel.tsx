"use client";
import { useId, useState, type FormEvent } from "react";
import type { AuthSessionResponse } from "@/lib/api/contracts";
import { useLogin, useSession } from "@/lib/queries/hooks";
import { cleanToken, type SigninReason, type SigninText } from "@/lib/queries/signin";
import { errorText, keyedText } from "@/lib/i18n/error-text";
import { useT } from "@/lib/i18n/client";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";

/**
 * What signing in means in the console's mode: a token form, the OpenID Connect button, or a
 * word that the proxy (or nobody) does it. `next` is already a safe same-site path.
 */
export function SigninPanel({
  reason,
  message,
  text,
  next,
}: {
  reason: SigninReason | null;
  message: string | null;
  text: SigninText | null;
  next: string;
}) {
  const t = useT();
  const q = useSession();
  const session = q.data;
  return (
    <section
      className="card space-y-5 p-6"
      aria-labelledby="signin-heading"
      data-testid="signin-panel"
      data-mode={session?.mode ?? ""}
    >
      <h1 id="signin-heading">{t("auth.signin.title")}</h1>
      {/* Someone signed in meanwhile (another tab): the old reason no longer applies. */}
      {reason && !(session && signedIn(session)) && <ReasonNotice reason={reason} message={message} text={text} />}
      {q.isPending ? (
        <LoadingBlock />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <ModeBody session={q.data} next={next} />
      )}
    </section>
  );
}

/** Without authentication the server may still name a (shared) user: that is nobody's sign-in. */
function signedIn(session: AuthSessionResponse): boolean {
  return session.user !== null && session.mode !== "none";
}

/** `text`: the error as catalog key + params when the server worded it; else its `message` as it came (a provider's). */
function ReasonNotice({
  reason,
  message,
  text,
}: {
  reason: SigninReason;
  message: string | null;
  text: SigninText | null;
}) {
  const t = useT();
  if (reason === "error") {
    return (
      <p
        role="alert"
        data-testid="signin-reason"
        data-reason={reason}
        className="rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900"
      >
        {t("auth.reason.error", { message: keyedText(text, t) ?? message ?? "" })}
      </p>
    );
  }
  return (
    <p
      role="status"
      data-testid="signin-reason"
      data-reason={reason}
      className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm font-medium text-amber-950"
    >
      {reason === "expired" ? t("auth.reason.expired") : t("auth.reason.signed-out")}
    </p>
  );
}

function ModeBody({ session, next }: { session: AuthSessionResponse; next: string }) {
  const t = useT();
  if (session.user && signedIn(session)) {
    return (
      <div className="space-y-3">
        <p data-testid="signin-user">{t("auth.signin.signedInAs", { name: session.user.name })}</p>
        <a href={next} className="btn btn-primary" data-testid="signin-continue">
          {t("auth.signin.continue")}
        </a>
      </div>
    );
  }
  switch (session.mode) {
    case "token":
      return <TokenForm next={next} />;
    case "oidc":
      return (
        <div className="space-y-4">
          <p className="text-sm text-slate-700">{t("auth.signin.oidcIntro")}</p>
          {/* A route handler that redirects to the provider: a plain link, not client navigation. */}
          <a
            href={`/api/auth/oidc/login?next=${encodeURIComponent(next)}`}
            className="btn btn-primary"
            data-testid="signin-oidc"
          >
            {t("auth.signin.oidcButton")}
          </a>
        </div>
      );
    case "proxy":
      return <OpenConsole text={t("auth.signin.proxy")} next={next} />;
    case "none":
      return <OpenConsole text={t("auth.signin.none")} next={next} />;
  }
}

function OpenConsole({ text, next }: { text: string; next: string }) {
  const t = useT();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700" data-testid="signin-mode-text">
        {text}
      </p>
      <a href={next} className="btn" data-testid="signin-open-console">
        {t("auth.signin.openConsole")}
      </a>
    </div>
  );
}

function TokenForm({ next }: { next: string }) {
  const t = useT();
  const login = useLogin();
  const [token, setToken] = useState("");
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const value = cleanToken(token);
  const busy = login.isPending || login.isSuccess;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value || busy) return;
    login.mutate(
      { token: value },
      {
        onSuccess: () => {
          setToken("");
          // A full navigation: pages and their data are fetched again with the new session.
          window.location.assign(next);
        },
      },
    );
  };

  return (
    <form className="space-y-4" onSubmit={submit} noValidate data-testid="signin-token-form">
      <div className="space-y-2 text-sm text-slate-700">
        <p>{t("auth.signin.tokenIntro")}</p>
        <p>{t("auth.signin.tokenHowTo")}</p>
        <pre className="overflow-x-auto rounded bg-slate-900 px-3 py-2 text-xs text-slate-100">
          <code>{t("auth.signin.tokenCommand")}</code>
        </pre>
        <p className="text-xs text-slate-600">{t("auth.signin.tokenExpiry")}</p>
      </div>
      <div>
        <label htmlFor={fieldId} className="label">
          {t("auth.signin.tokenLabel")}
        </label>
        <textarea
          id={fieldId}
          name="token"
          rows={5}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          className="input font-mono text-xs break-all"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={login.isError ? true : undefined}
          aria-describedby={login.isError ? `${hintId} ${errorId}` : hintId}
          data-testid="signin-token"
        />
        <p id={hintId} className="hint">
          {t("auth.signin.tokenHint")}
        </p>
      </div>
      {login.isError && (
        <p
          id={errorId}
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900"
          data-testid="signin-error"
        >
          {t("auth.reason.error", { message: errorText(login.error, t) })}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={!value || busy} data-testid="signin-submit">
        {busy ? t("auth.signin.submitting") : t("auth.signin.submit")}
      </button>
    </form>
  );
}
