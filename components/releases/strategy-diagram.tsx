"use client";
import type { ReactNode } from "react";
import type { Strategy } from "@/lib/release/types";
import { BASE_COLOUR, NEW_COLOUR } from "@/components/routing/version-colours";
import { useT } from "@/lib/i18n/client";
import type { Translate } from "@/lib/i18n/format";

// Tiny schematic per strategy: traffic enters on the left, versions sit on the right in the
// colours every page gives them (base version, new version). Decorative: the card text explains it.
const OLD = BASE_COLOUR;
const NEW = NEW_COLOUR;
const LINE = "#64748b";

function Box({ x, y, fill, label }: { x: number; y: number; fill: string; label: string }) {
  return (
    <g>
      <rect x={x} y={y} width={34} height={16} rx={3} fill={fill} />
      <text x={x + 17} y={y + 11.5} textAnchor="middle" fontSize={9} fill="#fff" fontFamily="ui-monospace, monospace">
        {label}
      </text>
    </g>
  );
}

function Arrow({
  d,
  width = 1.5,
  dashed = false,
  colour = LINE,
}: {
  d: string;
  width?: number;
  dashed?: boolean;
  colour?: string;
}) {
  return (
    <path
      d={d}
      fill="none"
      stroke={colour}
      strokeWidth={width}
      strokeDasharray={dashed ? "3 2" : undefined}
      markerEnd="url(#gc-arrow)"
    />
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 140 60" width={140} height={60} aria-hidden focusable="false" className="shrink-0">
      <defs>
        <marker
          id="gc-arrow"
          viewBox="0 0 6 6"
          refX={5}
          refY={3}
          markerWidth={5}
          markerHeight={5}
          orient="auto-start-reverse"
        >
          <path d="M0,0 L6,3 L0,6 z" fill={LINE} />
        </marker>
      </defs>
      <circle cx={10} cy={30} r={6} fill="#e2e8f0" stroke={LINE} />
      {children}
    </svg>
  );
}

/** One schematic per strategy (each strategy's own UI piece, next to its wizard step and messages). */
const DIAGRAMS: Record<Strategy, (t: Translate) => ReactNode> = {
  canary: () => (
    <Frame>
      <Arrow d="M17,28 C50,28 60,14 94,14" width={4} />
      <Arrow d="M17,32 C50,32 60,46 94,46" width={1} />
      <Box x={98} y={6} fill={OLD} label="90%" />
      <Box x={98} y={38} fill={NEW} label="10%" />
    </Frame>
  ),
  "blue-green": (t) => (
    <Frame>
      <Arrow d="M17,30 C50,30 60,46 94,46" width={3} />
      <Arrow d="M17,26 C50,26 60,14 94,14" width={1} dashed />
      <Box x={98} y={6} fill={OLD} label={t("diagram.blue")} />
      <Box x={98} y={38} fill={NEW} label={t("diagram.green")} />
    </Frame>
  ),
  "ab-test": (t) => (
    <Frame>
      <Arrow d="M17,28 C50,28 60,14 94,14" />
      <Arrow d="M17,32 C50,32 60,46 94,46" />
      <text x={52} y={16} fontSize={8} fill={LINE} fontFamily="ui-monospace, monospace">
        {t("diagram.headerA")}
      </text>
      <text x={52} y={52} fontSize={8} fill={LINE} fontFamily="ui-monospace, monospace">
        {t("diagram.headerB")}
      </text>
      <Box x={98} y={6} fill={OLD} label="A" />
      <Box x={98} y={38} fill={NEW} label="B" />
    </Frame>
  ),
  mirror: (t) => (
    <Frame>
      <Arrow d="M17,28 C50,28 60,14 94,14" width={3} />
      <Arrow d="M60,20 C70,34 80,46 94,46" dashed />
      <Box x={98} y={6} fill={OLD} label="100%" />
      <Box x={98} y={38} fill={NEW} label={t("diagram.copy")} />
    </Frame>
  ),
  // Three growing groups standing on one baseline, each numbered inside its own bar (the
  // digits used to sit below the shortest bar, white on white and cut by the frame).
  batch: () => (
    <Frame>
      <Arrow d="M17,30 L40,30" />
      {[0, 1, 2].map((i) => (
        <g key={i} data-testid={`batch-diagram-group-${i + 1}`}>
          <rect
            x={48 + i * 30}
            y={38 - i * 12}
            width={24}
            height={16 + i * 12}
            rx={2}
            fill={NEW}
            opacity={0.7 + i * 0.15}
          />
          <text
            x={60 + i * 30}
            y={50}
            textAnchor="middle"
            fontSize={10}
            fontWeight={600}
            fill="#fff"
            fontFamily="ui-monospace, monospace"
          >
            {i + 1}
          </text>
        </g>
      ))}
    </Frame>
  ),
  "replica-canary": () => (
    <Frame>
      <Arrow d="M17,30 L44,30" />
      {[0, 1, 2, 3, 4].map((i) => (
        <circle key={i} cx={58 + i * 17} cy={30} r={6.5} fill={i === 4 ? NEW : OLD} />
      ))}
    </Frame>
  ),
};

/** A client component for its few words (blue, green, copy): the cards and the wizard both show it. */
export function StrategyDiagram({ strategy }: { strategy: Strategy }) {
  const t = useT();
  return DIAGRAMS[strategy](t);
}
