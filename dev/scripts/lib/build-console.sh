# Builds the console (next build) unless .next already holds a build newer than every input.
# Sourced by demo.sh and test.sh; logs to .local/logs/next-build.log.
build_console() {
  local stamp=.next/BUILD_ID
  if [ -f "$stamp" ] && [ -z "$(find app components lib public prisma package-lock.json next.config.ts instrumentation.ts proxy.ts postcss.config.mjs tsconfig.json tsconfig.build.json \
        -newer "$stamp" -not -path 'lib/db/generated/*' -print -quit 2>/dev/null)" ]; then
    echo "[build] console build is up to date" >&2
    return 0
  fi
  echo "[build] building the console (next build; log: .local/logs/next-build.log)" >&2
  if ! next build > .local/logs/next-build.log 2>&1; then
    tail -50 .local/logs/next-build.log >&2
    echo "[build] next build failed" >&2
    return 1
  fi
}
