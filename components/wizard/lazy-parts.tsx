"use client";
// The wizard's heavier parts, loaded after its first step is on screen: the traffic step (rule
// editors, match translation), the review (diffs, summary) and the validator (the spec's zod
// schema and the English server catalog). None is needed to fill the first step, and all three
// are fetched right after the first paint, so they are there by the time the user gets to them.
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { LoadingBlock } from "@/components/ui/query-state";
import type { validateStep } from "./validate";

export type StepValidator = typeof validateStep;

const loadTrafficStep = () => import("./traffic-step").then((m) => m.TrafficStep);
const loadReviewStep = () => import("./review-step").then((m) => m.ReviewStep);

export const LazyTrafficStep = dynamic(loadTrafficStep, { loading: () => <LoadingBlock /> });
export const LazyReviewStep = dynamic(loadReviewStep, { loading: () => <LoadingBlock /> });

let validatorLoad: Promise<StepValidator> | null = null;

/** The step validator; a failed load is forgotten so the next call tries again. */
export function loadStepValidator(): Promise<StepValidator> {
  validatorLoad ??= import("./validate").then(
    (m) => m.validateStep,
    (err: unknown) => {
      validatorLoad = null;
      throw err;
    },
  );
  return validatorLoad;
}

/**
 * Starts loading the lazy parts once the wizard is shown. Returns the validator when it has
 * arrived (null before), and the error of a failed load: Next asks again and says it if it fails.
 */
export function usePreloadedParts(): { validator: StepValidator | null; loadError: unknown } {
  const [validator, setValidator] = useState<{ validate: StepValidator } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => {
    let mounted = true;
    loadStepValidator().then(
      (validate) => mounted && setValidator({ validate }),
      (err: unknown) => mounted && setLoadError(err),
    );
    // Warm the step chunks too; next/dynamic renders from the same module once it is loaded.
    void loadTrafficStep().catch((err: unknown) => mounted && setLoadError(err));
    void loadReviewStep().catch((err: unknown) => mounted && setLoadError(err));
    return () => {
      mounted = false;
    };
  }, []);
  return { validator: validator?.validate ?? null, loadError };
}
