#!/usr/bin/env bash
# The whole test suite against real RabbitMQ and PostgreSQL (installed/started when absent).
# Ends with one line: "tests: N passed, N failed"; exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_dotnet
ensure_services
ensure_prometheus
ensure_chromium
# Before the .NET build, which copies the console's dist/ into the ingress output.
ensure_console
export ALGOSIGNAL_RABBIT_MANAGEMENT_URL="${ALGOSIGNAL_RABBIT_MANAGEMENT_URL:-http://$ALGOSIGNAL_RABBIT_HOST:15672}"

log "building (warnings are errors)"
dotnet build "$ROOT/AlgoSignal.sln" -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || { echo "tests: 0 passed, 1 failed"; die "the build failed"; }

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
status=0
for project in "$ROOT"/tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  log "running $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$RESULTS" "$@" || status=1
done

passed=0; failed=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
done
expected=$(ls "$ROOT"/tests/*/*.csproj | wc -l)
found=$(ls "$RESULTS"/*.trx 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then
  log "only $found of $expected test projects produced results"
  failed=$((failed + expected - found)); status=1
fi
[ "$passed" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed"
exit $status
