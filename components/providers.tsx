"use client";
import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { makeQueryClient } from "@/lib/queries/client";
import { ToastProvider } from "./ui/toast";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab (not per render, not shared across server requests).
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
