#!/usr/bin/env bash
# Runs AlgoSignal locally: services (installed/started when absent), migrations, ingress + worker.
# Stays in the foreground; Ctrl-C or SIGTERM stops both processes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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
for _ in $(seq 1 30); do
  curl -fsS -u "$RabbitMq__Username:$RabbitMq__Password" "http://$ALGOSIGNAL_RABBIT_HOST:15672/api/queues/%2F/alert-received-0" >/dev/null 2>&1 && break
  sleep 1
done

cat <<INFO

  AlgoSignal is running at $URL  (paper broker; Ctrl-C stops it)

  API key (X-Api-Key):        $Api__Keys__0
  HMAC secret (POST /webhook): $Webhook__HmacSecrets__0
  TradingView URL (demo):      $URL/webhook/tradingview/$Seed__DemoWebhookToken

  Send a signed sample alert (paste into another terminal):

    body='{"strategy":"demo","action":"buy","symbol":"BINANCE:BTCUSDT","price":42000,"quantity":1,"alert_id":"sample-'\$(date +%s%N)'"}'; t=\$(date +%s); sig=\$(printf '%s.%s' "\$t" "\$body" | openssl dgst -sha256 -hmac '$Webhook__HmacSecrets__0' -r | cut -d' ' -f1); curl -sS -X POST $URL/webhook -H 'Content-Type: application/json' -H "X-AlgoSignal-Signature: t=\$t,v1=\$sig" -d "\$body"; echo

  Then see what happened to it:

    curl -sS -H 'X-Api-Key: $Api__Keys__0' $URL/api/v1/alerts/<alert_id>

INFO

# Exit (and stop the other) as soon as either process ends.
wait -n "${pids[@]}" || true
log "a process exited; stopping the other"
stop
