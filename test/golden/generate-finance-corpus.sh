#!/usr/bin/env bash
# Regenerates test/golden/finance-corpus.json with LibreOffice Calc as the oracle. Not run in CI.
# Needs LibreOffice: apt-get install -y libreoffice-calc-nogui. Extra arguments (e.g. --seed N) are passed on.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
npx tsc --outDir "$build" --rootDir . --target ES2022 --module commonjs --esModuleInterop --strict \
  --noUncheckedIndexedAccess --skipLibCheck --types node test/golden/generate-finance-corpus.ts
node "$build/test/golden/generate-finance-corpus.js" --out test/golden/finance-corpus.json "$@"
