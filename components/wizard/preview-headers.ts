// Which request header a blue-green preview route can match on. A header set by the tester
// must reach the service through every hop before it, and apps forward only the headers they
// are written to forward: Bookinfo's productpage forwards end-user, cookie and user-agent to
// details and reviews, and reviews forwards them on to ratings (dev/mesh-sim plays the same),
// so a preview on `x-preview` never reaches reviews. PURE.

export interface HeaderSuggestion {
  name: string;
  /** A value a tester can send. */
  value: string;
  /** The app known to forward it to this service, when that is why it is suggested. */
  forwardedBy?: string;
}

/** Apps whose callers are known to forward a header, recognised by service name and image. */
interface KnownApp {
  app: string;
  services: readonly string[];
  image: RegExp;
  forwards: readonly Omit<HeaderSuggestion, "forwardedBy">[];
}

const KNOWN_APPS: readonly KnownApp[] = [
  // Istio's request-routing task routes jason by end-user for the same reason.
  {
    app: "Bookinfo",
    services: ["details", "reviews", "ratings"],
    image: /examples-bookinfo-/,
    forwards: [{ name: "end-user", value: "jason" }],
  },
];

/** Headers that commonly survive the hops between services, in the order offered. */
const COMMONLY_PROPAGATED: readonly HeaderSuggestion[] = [
  // The default: right when the service is the first hop behind the gateway, or its callers pass it on.
  { name: "x-preview", value: "true" },
  // W3C Baggage: OpenTelemetry-instrumented apps pass it on to every hop without code of their own.
  { name: "baggage", value: "preview=true" },
  // Many apps pass the caller's User-Agent on (Bookinfo does).
  { name: "user-agent", value: "preview-tester" },
];

function knownAppOf(service: string, images: readonly string[]): KnownApp | undefined {
  return KNOWN_APPS.find((a) => a.services.includes(service) && images.some((i) => a.image.test(i)));
}

/**
 * Headers to suggest for a preview route to `service` (whose versions run `images`): the ones
 * its known app forwards first, then the commonly propagated ones, each name once.
 */
export function previewHeaderSuggestions(service: string, images: readonly string[]): HeaderSuggestion[] {
  const app = knownAppOf(service, images);
  const known: HeaderSuggestion[] = app ? app.forwards.map((h) => ({ ...h, forwardedBy: app.app })) : [];
  const names = new Set(known.map((h) => h.name));
  return [...known, ...COMMONLY_PROPAGATED.filter((h) => !names.has(h.name))];
}
