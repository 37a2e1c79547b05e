// PURE: the simulator's behaviour file (what each service version does with a request) —
// schema, defaults, per-version resolution, and sampling of latency / errors from an RNG.
import { z } from "zod";
import type { Rng } from "./router";

const Call = z.object({ service: z.string().min(1), path: z.string().default("/") });

/** Everything optional here: layers (defaults <- service <- version) are merged. */
const ProfileLayer = z.object({
  p50Ms: z.number().positive().optional(),
  p99Ms: z.number().positive().optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorCode: z.number().int().min(100).max(599).optional(),
  stars: z.enum(["none", "black", "red"]).optional(),
  /** Upstream calls made (sequentially) for each request this version serves. */
  calls: z.array(Call).optional(),
});

const ServiceBehaviour = ProfileLayer.extend({
  versions: z.record(z.string(), ProfileLayer).optional(),
});

const Entry = z.object({
  namespace: z.string().min(1),
  service: z.string().min(1),
  path: z.string().default("/"),
  /** Host header users send to the ingress gateway (matched against Gateway and VirtualService hosts); default "<service>.<namespace>". */
  authority: z.string().min(1).optional(),
  /** Relative share of the user load this entry receives. */
  weight: z.number().min(0).default(1),
});

export const BehaviourSchema = z.object({
  _comment: z.unknown().optional(),
  entries: z.array(Entry).default([{ namespace: "bookinfo", service: "productpage", path: "/productpage", weight: 1 }]),
  users: z
    .object({
      jasonPercent: z.number().min(0).max(100).default(10),
      betaCookiePercent: z.number().min(0).max(100).default(20),
    })
    .default({ jasonPercent: 10, betaCookiePercent: 20 }),
  defaults: ProfileLayer.default({}),
  /** Keyed by "namespace/service" or plain "service" (any namespace). */
  services: z.record(z.string(), ServiceBehaviour).default({}),
});

export type Behaviour = z.infer<typeof BehaviourSchema>;
export type CallSpec = z.infer<typeof Call>;

export interface Profile {
  p50Ms: number;
  p99Ms: number;
  errorRate: number;
  errorCode: number;
  stars: "none" | "black" | "red";
  calls: CallSpec[];
}

const BUILTIN: Profile = { p50Ms: 10, p99Ms: 50, errorRate: 0, errorCode: 500, stars: "none", calls: [] };

/** Parses a behaviour document; throws a readable error naming the bad field. */
export function parseBehaviour(json: unknown): Behaviour {
  const r = BehaviourSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`invalid behaviour file: ${issues}`);
  }
  return r.data;
}

function layer(target: Profile, l: z.infer<typeof ProfileLayer> | undefined): void {
  if (!l) return;
  if (l.p50Ms !== undefined) target.p50Ms = l.p50Ms;
  if (l.p99Ms !== undefined) target.p99Ms = l.p99Ms;
  if (l.errorRate !== undefined) target.errorRate = l.errorRate;
  if (l.errorCode !== undefined) target.errorCode = l.errorCode;
  if (l.stars !== undefined) target.stars = l.stars;
  if (l.calls !== undefined) target.calls = l.calls;
}

/** Bookinfo's look when the file says nothing: v2 shows black stars, v3 red ones. */
function defaultStars(version: string): Profile["stars"] {
  return version === "v2" ? "black" : version === "v3" ? "red" : "none";
}

/** defaults <- service ("ns/name" wins over "name") <- version. */
export function resolveProfile(b: Behaviour, namespace: string, service: string, version: string): Profile {
  const p: Profile = { ...BUILTIN, stars: defaultStars(version) };
  layer(p, b.defaults);
  const svc = b.services[`${namespace}/${service}`] ?? b.services[service];
  if (svc) {
    const { versions, ...own } = svc;
    layer(p, own);
    layer(p, versions?.[version]);
  }
  return p;
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** Lognormal latency with the given median and 99th percentile (p99 <= p50 means constant). */
export function sampleLatencyMs(p: Pick<Profile, "p50Ms" | "p99Ms">, rng: Rng): number {
  const sigma = p.p99Ms > p.p50Ms ? Math.log(p.p99Ms / p.p50Ms) / Z99 : 0;
  if (sigma === 0) return p.p50Ms;
  // Box–Muller; 1 - u keeps the log argument in (0, 1].
  const u1 = 1 - rng();
  const u2 = rng();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return p.p50Ms * Math.exp(sigma * z);
}

/** The response code a version answers with (its error rate decides). */
export function sampleResponseCode(p: Pick<Profile, "errorRate" | "errorCode">, rng: Rng): number {
  if (p.errorRate <= 0) return 200;
  return rng() < p.errorRate ? p.errorCode : 200;
}
