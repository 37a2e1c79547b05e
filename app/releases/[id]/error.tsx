"use client";
import { SegmentError } from "@/components/ui/segment-states";

export default function SegmentErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError error={error} retry={retry} />;
}
