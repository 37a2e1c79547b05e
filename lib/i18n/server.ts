import "server-only";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, resolveLocale, type Locale } from "./config";
import { makeTranslate, type Translate } from "./format";
import { catalogs } from "./catalogs";
import type { Messages } from "./messages/en";

/** The request's locale: the `gc-locale` cookie, else Accept-Language. */
export async function getLocale(): Promise<Locale> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return resolveLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get("accept-language"));
}

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}

/** `const t = await getT()` in a server component. */
export async function getT(): Promise<Translate> {
  return makeTranslate(messagesFor(await getLocale()));
}
