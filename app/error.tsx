"use client";
// The one error boundary: there is no nested layout, so this boundary (inside the root layout)
// shows the error exactly where a per-segment copy would, for every page.
export { SegmentError as default } from "@/components/ui/segment-states";
