import { describe, expect, it } from "vitest";
import { auditCsv, csvCell } from "./audit";
import { AuditQuery } from "./requests";
import type { AuditEvent } from "./views";

describe("csvCell", () => {
  it.each([
    ["plain", "alice", "alice"],
    ["a comma", "a,b", '"a,b"'],
    ["a quote", 'say "hi"', '"say ""hi"""'],
    ["a line break", "one\ntwo", '"one\ntwo"'],
    ["a formula (CSV injection)", '=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ["a leading minus", "-1+1", "'-1+1"],
    ["a leading at-sign", "@SUM(A1)", "'@SUM(A1)"],
    ["null", null, ""],
  ])("%s", (_name, value, want) => {
    expect(csvCell(value)).toBe(want);
  });
});

const event = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  at: "2026-12-06T08:00:00.000Z",
  namespace: "bookinfo",
  service: "reviews",
  task: "canary",
  taskId: "t1",
  actor: "alice",
  actorGroups: ["ops", "system:authenticated"],
  actorSource: "10.0.0.7",
  action: "setTraffic",
  result: "ok",
  before: { state: "progressing", weights: { v1: 90, v2: 10 }, mirrorPercent: null, batchGroup: null },
  after: { state: "progressing", weights: { v1: 50, v2: 50 }, mirrorPercent: null, batchGroup: null },
  resourceVersions: { "VirtualService/reviews": "42" },
  error: null,
  note: null,
  ...over,
});

describe("auditCsv", () => {
  it("writes a header and one CRLF-terminated row per event, weights as version=weight", () => {
    const csv = auditCsv([
      event(),
      event({
        actor: "bob",
        actorGroups: null,
        actorSource: null,
        action: "abort",
        result: "error",
        error: "refused, twice",
        after: null,
      }),
    ]);
    expect(csv.split("\r\n")).toEqual([
      "at,namespace,service,task,taskId,actor,actorGroups,actorSource,action,result,weightsBefore,weightsAfter,resourceVersions,error,note",
      "2026-12-06T08:00:00.000Z,bookinfo,reviews,canary,t1,alice,ops system:authenticated,10.0.0.7,setTraffic,ok,v1=90 v2=10,v1=50 v2=50,VirtualService/reviews@42,,",
      '2026-12-06T08:00:00.000Z,bookinfo,reviews,canary,t1,bob,,,abort,error,v1=90 v2=10,,VirtualService/reviews@42,"refused, twice",',
      "",
    ]);
  });
});

describe("AuditQuery", () => {
  it("defaults to JSON and 1000 events", () => {
    expect(AuditQuery.parse({})).toEqual({ format: "json", limit: 1000 });
  });
  it.each([
    ["a time that is not RFC 3339", { since: "yesterday" }, "since"],
    ["until before since", { since: "2026-12-06T09:00:00Z", until: "2026-12-06T08:00:00Z" }, "until"],
    ["an unknown format", { format: "xml" }, "format"],
    ["a limit over 10,000", { limit: "20000" }, "limit"],
    ["a bad namespace", { namespace: "Not_A_Namespace" }, "namespace"],
    ["an unknown parameter", { page: "2" }, ""],
  ])("refuses %s, naming the field", (_name, input, field) => {
    const r = AuditQuery.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join(".")).join(" ")).toContain(field);
  });
});
