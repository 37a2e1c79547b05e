// The analysis answer (GET /api/tasks/{id}/analysis) as a zod schema: every run of the task's
// metric analysis, each metric's measurement beside the threshold it was held to.
import { z } from "zod";
import { VERDICTS } from "@/lib/release/analysis";
import { KeyedText } from "./views";

const Verdict = z.enum(VERDICTS);

export const AnalysisMetricView = z.object({
  name: z.string(),
  value: z.number().nullable().describe("the measurement (percent, ms or the query's unit); null: no data"),
  threshold: z
    .object({ min: z.number().optional(), max: z.number().optional() })
    .describe("the bounds the value was held to (with compare: base, the base's value and the tolerance)"),
  verdict: Verdict,
  requests: z.number().int().describe("requests to the new version over the window, both reporters"),
  reason: KeyedText.describe('the verdict in words: "success rate 87.2% < 99% over 10 s, 412 requests"'),
});

export const AnalysisRunView = z.object({
  at: z.string().describe("ISO time of the measurement"),
  step: z.number().int().nullable().describe("the index of the analysis step, null for background analysis"),
  windowSeconds: z.number().int(),
  metrics: z.array(AnalysisMetricView),
  verdict: Verdict,
});

export const AnalysisResponse = z
  .object({
    runs: z.array(AnalysisRunView).describe("oldest first"),
    analysis: z
      .object({
        interval: z.string(),
        failureLimit: z.number().int(),
        inconclusiveLimit: z.number().int(),
        minRequests: z.number().int(),
        background: z.boolean(),
        onFailure: z.enum(["rollback", "pause"]),
      })
      .nullable()
      .describe("the task's analysis settings; null when it has none"),
  })
  .meta({ id: "AnalysisResponse" });
export type AnalysisResponse = z.infer<typeof AnalysisResponse>;
export type AnalysisRunView = z.infer<typeof AnalysisRunView>;
