import { describe, expect, it } from "vitest";
import { makeTranslate } from "./format";
import { en, type Messages } from "./messages/en";
import { zhCN } from "./messages/zh-CN";
import { errorText, fieldErrorText } from "./error-text";
import { english, localized, resolveParams } from "./localized";
import { planError } from "@/lib/release/errors";

const zh = makeTranslate(zhCN);
const enT = makeTranslate(en as Messages);

describe("server messages as key + params", () => {
  it("planError renders its English message from errors-en and keeps the key", () => {
    const e = planError("conflict", "err.internal");
    expect(e.message).toBe("internal error: see the server log");
    expect(e.text).toEqual({ key: "err.internal", params: {} });
  });

  it("errorText renders a keyed error from the reader's catalog", () => {
    const err = Object.assign(new Error("internal error: see the server log"), { text: localized("err.internal") });
    expect(errorText(err, zh)).toBe(zhCN["err.internal"]);
    expect(errorText(err, enT)).toBe(english(localized("err.internal")));
  });

  it("errorText falls back to the English message for a key the catalog lacks", () => {
    const err = Object.assign(new Error("something new"), { text: { key: "err.notInAnyCatalog", params: {} } });
    expect(errorText(err, zh)).toBe("something new");
    expect(fieldErrorText({ message: "is wrong", key: "err.nope" }, zh)).toBe("is wrong");
  });

  it("a <x>Key param is looked up in the catalog and passed as <x>", () => {
    const out = resolveParams({ actionKey: "err.internal", version: "v2" }, (k) =>
      k === "err.internal" ? "looked up" : undefined,
    );
    expect(out).toEqual({ action: "looked up", actionKey: "err.internal", version: "v2" });
  });
});

describe("a field's message away from its field", () => {
  it("errorText names the field first, in the reader's words", () => {
    const err = Object.assign(new Error("traffic.weights: must sum to 100 (got 90)"), {
      text: { key: "err.spec.weightsSum", params: { sum: 90 }, path: "traffic.weights" },
    });
    expect(errorText(err, zh)).toBe("traffic.weights：总和必须为 100（当前为 90）");
    expect(errorText(err, enT)).toBe("traffic.weights: must sum to 100 (got 90)");
  });

  it("a <x>Key param says the word in the reader's language", () => {
    const err = Object.assign(new Error("cannot retireOld: take over all traffic first"), {
      text: { key: "err.state.takeoverFirst", params: { action: "retireOld", actionKey: "err.word.action.retireOld" } },
    });
    expect(errorText(err, zh)).toBe("无法下线旧版本：请先接管全部流量");
    expect(errorText(err, enT)).toBe("cannot retireOld: take over all traffic first");
  });
});
