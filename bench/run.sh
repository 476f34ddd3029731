#!/usr/bin/env bash
# The benchmark: builds Release, starts a private AlgoSignal (own database and virtual host) on the
# local RabbitMQ and PostgreSQL, and measures it and the infrastructure baseline in one run.
#   bench/run.sh --quick          # under 2 minutes: saturation, 500/s, baseline, market data
#   bench/run.sh                  # full: 30 s phases at 100, 500 and 1,000 alerts/s
#   bench/run.sh --url http://host:8080 --api-key … --secret …   # target a running AlgoSignal
source "$(dirname "${BASH_SOURCE[0]}")/../infra/lib.sh"
ensure_dotnet
ensure_services
dotnet build "$ROOT/AlgoSignal.sln" -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || die "the build failed"
exec dotnet "$ROOT/bench/AlgoSignal.Bench/bin/Release/net10.0/AlgoSignal.Bench.dll" "$@"
