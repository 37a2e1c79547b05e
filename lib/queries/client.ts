import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./fetcher";

/** Live views poll at this period (task detail, events, a namespace's services during a release). */
export const LIVE_POLL_MS = 2500;

/** Retrying a 4xx cannot succeed; a down cluster is retried once, then the banner says so. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error)) {
    if (error.status >= 400 && error.status < 500) return false;
    if (error.code === "cluster_unreachable") return failureCount < 1;
  }
  return failureCount < 2;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
      },
      mutations: { retry: false },
    },
  });
}
