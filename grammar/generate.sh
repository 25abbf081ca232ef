#!/usr/bin/env bash
# Regenerates grammar/Query.Grammar/Generated/ from QuerySql.g4 with the antlr-ng version pinned in
# package-lock.json. CI runs this and then `git diff --exit-code -- grammar/`, so the output must be a pure
# function of the grammar: no timestamps, no absolute paths.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules/antlr-ng ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

out=Query.Grammar/Generated
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Run from the grammar's folder with a relative path so the header names only "QuerySql.g4".
(cd Query.Grammar && ../node_modules/.bin/antlr-ng -Dlanguage=CSharp --exact-output-dir \
  -o "$tmp" -p Query.Grammar.Generated --generate-visitor true --generate-listener false --warnings-are-errors true QuerySql.g4)

rm -rf "$out"
mkdir -p "$out"
for f in "$tmp"/*.cs; do
  # Drop the generator's "Generated from <path>" line details and trailing whitespace so output is stable.
  sed -e 's/[[:space:]]*$//' "$f" > "$out/$(basename "$f")"
done
echo "generated $(ls "$out" | wc -l) files into grammar/$out"
