// Request schemas of task actions (zod v4). PURE.
import { z } from "zod";
import { localized } from "@/lib/i18n/localized";
import { msg, textIssue } from "./spec-rules";
import { WeightsSchema } from "./match-schema";

/**
 * Foreign routes the action may move from the old version's subset to the new version's, named
 * `<virtualService>/<route name or http[i]>` as the refusal that listed them names them.
 */
const ROUTE_ID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/.+$/;
const moveRoutes = z
  .array(z.string().regex(ROUTE_ID, { error: msg("err.spec.routeId") }))
  .min(1, { error: msg("err.spec.atLeastOneRoute") })
  .max(100)
  .optional();

const SetTrafficSchema = z
  .object({
    action: z.literal("setTraffic"),
    weights: WeightsSchema.optional(),
    mirrorPercent: z
      .number({ error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .min(0, { error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .max(100, { error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .optional(),
    moveRoutes,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.weights === undefined && a.mirrorPercent === undefined)
      ctx.addIssue(textIssue(localized("err.spec.setTrafficNeeds"), ["weights"]));
  });
const simpleAction = <A extends string>(action: A) => z.object({ action: z.literal(action) }).strict();
const movingAction = <A extends string>(action: A) => z.object({ action: z.literal(action), moveRoutes }).strict();

export const ActionRequestSchema = z.discriminatedUnion("action", [
  SetTrafficSchema,
  movingAction("takeover"),
  movingAction("switch"),
  simpleAction("rollback"),
  movingAction("retireOld"),
  simpleAction("pause"),
  simpleAction("resume"),
  z
    .object({
      action: z.literal("confirm"),
      moveRoutes,
      // How the next group sets traffic: by the replica ratio (default), or keeping the split set while waiting.
      weights: z.enum(["replicas", "keep"], { error: 'must be "replicas" or "keep"' }).optional(),
    })
    .strict(),
  simpleAction("abort"),
  z
    .object({
      action: z.literal("promote"),
      // The step the caller saw as current: refused if the task moved on meanwhile (no step skipped twice).
      fromStep: z.number().int().min(-1).max(1000).optional(),
    })
    .strict(),
  movingAction("promoteFull"),
  simpleAction("retry"),
  simpleAction("resync"),
  simpleAction("acceptDrift"),
]);
export type ActionRequest = z.infer<typeof ActionRequestSchema>;
