// PURE: a tiny Bookinfo-like product page for one simulated request, so a person (or an e2e
// test) can see where the mesh sent *their* request: no stars = reviews v1, black = v2, red = v3.
import type { CallTrace } from "./traffic";

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

function findCall(t: CallTrace, service: string): CallTrace | undefined {
  return t.calls.find((c) => c.endpoint.service === service);
}

function ok(t: CallTrace | undefined): boolean {
  return t !== undefined && t.code >= 200 && t.code < 400;
}

const REVIEWS = [
  {
    reviewer: "Reviewer1",
    text: "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!",
    stars: 5,
  },
  {
    reviewer: "Reviewer2",
    text: "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.",
    stars: 4,
  },
];

function renderStars(count: number, color: "black" | "red"): string {
  return `<span class="stars" data-stars="${color}" style="color:${color === "red" ? "#c00" : "#000"}">${"★".repeat(count)}${"☆".repeat(5 - count)}</span>`;
}

function hop(label: string, t: CallTrace | undefined): string {
  if (!t) return `<li>${esc(label)}: not called</li>`;
  const flags = t.flags.length > 0 ? ` ${esc(t.flags.join(","))}` : "";
  return `<li>${esc(label)} → <b>${esc(t.endpoint.workload)}</b> (version ${esc(t.endpoint.version)}, HTTP ${t.code}${flags}, ${t.durationMs.toFixed(1)} ms)${
    t.mirrored.length ? `, mirrored to ${t.mirrored.map((m) => esc(`${m.service} ${m.version}`)).join(", ")}` : ""
  }</li>`;
}

/** `trace` is null when productpage is not known to the mesh (no Service, no VirtualService). */
export function renderProductPage(trace: CallTrace | null, user: string | undefined): string {
  const head = `<!doctype html><html><head><meta charset="utf-8"><title>Simple Bookstore App (simulated)</title>
<style>body{font-family:sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}.box{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.stars{font-size:1.3rem}.muted{color:#666}</style></head><body>`;
  const userLine = user
    ? `<p class="muted">Signed in as <b>${esc(user)}</b> (sends <code>end-user: ${esc(user)}</code>)</p>`
    : `<p class="muted">Anonymous user — add <code>?user=jason</code> to sign in as jason.</p>`;
  if (!trace) {
    return `${head}<h1>The Comedy of Errors</h1>${userLine}<div class="box" data-productpage="unknown">productpage is not in the mesh yet (no Service or VirtualService seen).</div></body></html>`;
  }
  if (!ok(trace)) {
    return `${head}<h1>The Comedy of Errors</h1>${userLine}<div class="box" data-productpage-code="${trace.code}">productpage answered HTTP ${trace.code} (${esc(trace.endpoint.workload)}, version ${esc(trace.endpoint.version)}).</div></body></html>`;
  }
  const details = findCall(trace, "details");
  const reviews = findCall(trace, "reviews");
  const ratings = reviews ? findCall(reviews, "ratings") : undefined;

  const detailsHtml = ok(details)
    ? `<dl><dt>Type:</dt><dd>paperback</dd><dt>Pages:</dt><dd>200</dd><dt>Publisher:</dt><dd>PublisherA</dd><dt>Language:</dt><dd>English</dd><dt>ISBN-10:</dt><dd>1234567890</dd></dl>`
    : `<p>Sorry, product details are currently unavailable for this book.</p>`;

  let reviewsHtml: string;
  if (!reviews || !ok(reviews)) {
    reviewsHtml = `<p>Sorry, product reviews are currently unavailable for this book.</p>`;
  } else {
    reviewsHtml = REVIEWS.map((r) => {
      let stars = "";
      if (reviews.stars !== "none") {
        stars = ok(ratings)
          ? renderStars(r.stars, reviews.stars)
          : `<span class="muted">Ratings service is currently unavailable</span>`;
      }
      return `<blockquote><p>${esc(r.text)}</p><small>${esc(r.reviewer)}</small><br>${stars}</blockquote>`;
    }).join("");
  }

  const reviewsVersion = reviews?.endpoint.version ?? "none";
  return `${head}<h1>The Comedy of Errors</h1>${userLine}
<p>Wikipedia Summary: The Comedy of Errors is one of William Shakespeare's early plays.</p>
<div class="box" data-section="details"><h2>Book Details</h2>${detailsHtml}</div>
<div class="box" data-section="reviews" data-reviews-version="${esc(reviewsVersion)}" data-reviews-stars="${reviews?.stars ?? "none"}"><h2>Book Reviews</h2>${reviewsHtml}</div>
<div class="box muted" data-section="routing"><b>How the mesh routed this request</b><ul>
${hop("productpage", trace)}${hop("details", details)}${hop("reviews", reviews)}${hop("ratings", ratings)}
</ul></div></body></html>`;
}
