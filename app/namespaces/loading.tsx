// The shared loading state (components/ui/segment-states.tsx). Each dynamic segment keeps this
// one-line file because Next shows (and prefetches) the nearest loading boundary above the segment
// that changes: without it, navigating between two of its pages would wait on the old page.
export { SegmentLoading as default } from "@/components/ui/segment-states";
