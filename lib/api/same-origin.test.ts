import { describe, expect, it } from "vitest";
import { contentTypeRefusal, crossSiteRefusal } from "./same-origin";

const URL_ = "http://127.0.0.1:3100/api/tasks/x/actions";
const h = (o: Record<string, string>) => new Headers(o);

describe("crossSiteRefusal", () => {
  it.each([
    ["a script or CLI (no Origin, no Sec-Fetch-Site)", "POST", {}],
    [
      "the console's own page",
      "POST",
      { origin: "http://127.0.0.1:3100", "sec-fetch-site": "same-origin", host: "127.0.0.1:3100" },
    ],
    [
      "the console's page behind a TLS proxy (scheme differs, host is the one asked for)",
      "POST",
      { origin: "https://console.example.com", "x-forwarded-host": "console.example.com", host: "gc:80" },
    ],
    ["a user typing the address (Sec-Fetch-Site: none)", "DELETE", { "sec-fetch-site": "none" }],
    [
      "a cross-site GET (reads change nothing)",
      "GET",
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    ],
  ])("lets through %s", (_name, method, headers) => {
    expect(crossSiteRefusal(method, h(headers), URL_)).toBeNull();
  });

  it.each([
    [
      "a cross-site form post",
      "POST",
      { "sec-fetch-site": "cross-site", origin: "https://evil.example", host: "127.0.0.1:3100" },
    ],
    [
      "a sibling subdomain (same-site is not same-origin)",
      "POST",
      { "sec-fetch-site": "same-site", host: "console.example.com" },
    ],
    [
      "an older browser: Origin only, another host",
      "DELETE",
      { origin: "https://evil.example", host: "127.0.0.1:3100" },
    ],
    ["a sandboxed frame (Origin: null)", "POST", { origin: "null", host: "127.0.0.1:3100" }],
    ["the same host on another port", "POST", { origin: "http://127.0.0.1:3999", host: "127.0.0.1:3100" }],
  ])("refuses %s with 403 cross_site", (_name, method, headers) => {
    const err = crossSiteRefusal(method, h(headers), URL_);
    expect(err?.status).toBe(403);
    expect(err?.code).toBe("cross_site");
  });
});

describe("contentTypeRefusal", () => {
  it.each([
    ["application/json", { "content-type": "application/json", "content-length": "20" }],
    ["application/json with a charset", { "content-type": "application/json; charset=utf-8", "content-length": "20" }],
    ["a +json type", { "content-type": "application/merge-patch+json", "content-length": "20" }],
    ["no body (an abort by DELETE)", { "content-length": "0" }],
  ])("accepts %s", (_name, headers) => {
    expect(contentTypeRefusal("POST", h(headers))).toBeNull();
  });

  it.each([
    [
      "text/plain (what a cross-site fetch may send without a preflight)",
      { "content-type": "text/plain", "content-length": "20" },
    ],
    ["a form post", { "content-type": "application/x-www-form-urlencoded", "content-length": "20" }],
    ["no content-type", { "content-length": "20" }],
    ["a chunked body without a content-type", { "transfer-encoding": "chunked" }],
  ])("refuses %s with 415", (_name, headers) => {
    const err = contentTypeRefusal("POST", h(headers));
    expect(err?.status).toBe(415);
    expect(err?.code).toBe("unsupported_media_type");
  });
});
