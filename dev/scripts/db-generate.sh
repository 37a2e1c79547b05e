#!/usr/bin/env bash
# Generates both Prisma clients (SQLite and PostgreSQL). Generation connects to nothing, but each
# schema's datasource reads env("DATABASE_URL") and Prisma validates its scheme against the
# provider, so each run gets a placeholder URL of its own kind whatever the caller's DATABASE_URL is.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATABASE_URL="file:./.local/generate-placeholder.db" npx prisma generate --schema prisma/schema.prisma
DATABASE_URL="postgresql://placeholder@127.0.0.1:5432/placeholder" npx prisma generate --schema prisma/postgresql/schema.prisma
