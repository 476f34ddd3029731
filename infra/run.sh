#!/usr/bin/env bash
# Runs AlgoSignal locally: services (installed/started when absent), migrations, ingress + worker.
# Stays in the foreground; Ctrl-C or SIGTERM stops both processes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/local.sh"

ensure_dotnet
ensure_services

# Local credentials: generated once into a git-ignored file and reused; a value already in the
# environment always wins over the generated one.
mkdir -p "$LOCAL_DIR"
SECRETS_FILE="$LOCAL_DIR/secrets.env"
new_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
if [ ! -f "$SECRETS_FILE" ]; then
  umask 077
  {
    echo "ALGOSIGNAL_API_KEY=$(new_secret)"
    echo "ALGOSIGNAL_HMAC_SECRET=$(new_secret)"
    echo "ALGOSIGNAL_DEMO_TOKEN=$(new_secret)"
  } > "$SECRETS_FILE"
  log "generated local credentials in .local/secrets.env"
fi
while IFS='=' read -r key value; do
  [ -n "$key" ] && [ -z "${!key:-}" ] && export "$key=$value"
done < "$SECRETS_FILE"
export Api__Keys__0="${Api__Keys__0:-$ALGOSIGNAL_API_KEY}"
export Webhook__HmacSecrets__0="${Webhook__HmacSecrets__0:-$ALGOSIGNAL_HMAC_SECRET}"
export Seed__DemoWebhookToken="${Seed__DemoWebhookToken:-$ALGOSIGNAL_DEMO_TOKEN}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:8080}"
export Logging__Format="${Logging__Format:-text}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}"

ensure_console
log "building (Release)"
dotnet build "$ROOT/AlgoSignal.sln" -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || die "the build failed"
BIN_WORKER="$ROOT/src/AlgoSignal.Worker/bin/Release/net10.0/AlgoSignal.Worker.dll"
BIN_INGRESS="$ROOT/src/AlgoSignal.Ingress/bin/Release/net10.0/AlgoSignal.Ingress.dll"

log "applying migrations"
dotnet "$BIN_WORKER" migrate || die "migrations failed"

pids=()
stop() {
  trap - INT TERM
  log "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  exit 0
}
trap stop INT TERM

dotnet "$BIN_WORKER" & pids+=($!)
dotnet "$BIN_INGRESS" & pids+=($!)

URL="${ASPNETCORE_URLS%%;*}"
for _ in $(seq 1 60); do
  curl -fsS "$URL/health/ready" >/dev/null 2>&1 && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { log "a process exited during start"; stop; }; done
  sleep 1
done
curl -fsS "$URL/health/ready" >/dev/null 2>&1 || log "warning: $URL/health/ready is not green yet"
# Alerts are accepted once the worker has declared its ordered lanes (the ingress answers 503 before).
wait_for_lanes 30 || log "warning: the worker's lanes (alert-received-*) are not in RabbitMQ virtual host '${RabbitMq__VirtualHost:-/}' yet; alerts answer 503 until they are"

write_local_env "$LOCAL_DIR/env" "$URL"
# Paths as the user will type them: short when run from the repository's directory, as the README does.
if [ "$PWD" = "$ROOT" ]; then here=""; else here="$ROOT/"; fi
print_banner "$URL" "${here}.local/env" "${here}src/AlgoSignal.Cli/bin/Release/net10.0/algosignal.dll"

# Exit (and stop the other) as soon as either process ends.
wait -n "${pids[@]}" || true
log "a process exited; stopping the other"
stop
