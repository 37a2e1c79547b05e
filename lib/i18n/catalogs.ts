// Both catalogs, keyed by locale. Imported by server code only: client components receive
// the one catalog they need from the root layout instead of bundling both.
import type { Locale } from "./config";
import { en, type Messages } from "./messages/en";
import { zhCN } from "./messages/zh-CN";

export const catalogs: Record<Locale, Messages> = { en, "zh-CN": zhCN };
