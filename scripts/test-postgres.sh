#!/usr/bin/env bash
# The server tests again against a real PostgreSQL (scripts/with-postgres.sh); the
# files given, else all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=("$@")
[ ${#FILES[@]} -eq 0 ] && FILES=(test/server/*.test.ts)
exec bash scripts/with-postgres.sh node --import tsx --test --test-concurrency=1 "${FILES[@]}"
