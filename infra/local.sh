#!/usr/bin/env bash
# Used by run.sh after lib.sh: the local connection file, the wait for the worker's lanes and the
# start banner. Kept apart so that each can be checked on its own.

# Percent-encodes one URL path segment (a virtual host such as "/" or "team/a"), byte by byte.
urlencode() {
  local LC_ALL=C s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9.~_-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c"; out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

# Writes the connection the CLI and the README's commands read (`source .local/env`): mode 600, so
# only this user can read the key and the secret; .local/ is git-ignored.
write_local_env() {
  local file=$1 url=$2
  (
    umask 077
    {
      echo "# AlgoSignal on this machine, written by infra/run.sh. Use it with: source .local/env"
      printf 'export ALGOSIGNAL_URL=%q\n' "$url"
      printf 'export ALGOSIGNAL_API_KEY=%q\n' "$Api__Keys__0"
      printf 'export ALGOSIGNAL_HMAC_SECRET=%q\n' "$Webhook__HmacSecrets__0"
      printf 'export ALGOSIGNAL_DEMO_WEBHOOK_URL=%q\n' "$url/webhook/tradingview/$Seed__DemoWebhookToken"
    } > "$file.tmp"
  )
  chmod 600 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

# Waits until the worker has declared every ordered lane (alert-received-N) in the virtual host it
# uses — the ingress answers 503 until then. Returns 1 when they are not there within $1 seconds.
wait_for_lanes() {
  local seconds=${1:-30} lanes=${RabbitMq__AlertPartitions:-8} lane attempt
  local api="http://${RabbitMq__Host:-$ALGOSIGNAL_RABBIT_HOST}:${ALGOSIGNAL_RABBIT_MANAGEMENT_PORT:-15672}/api/queues/$(urlencode "${RabbitMq__VirtualHost:-/}")"
  for ((attempt = 0; attempt < seconds; attempt++)); do
    for ((lane = 0; lane < lanes; lane++)); do
      curl -fsS -u "$RabbitMq__Username:$RabbitMq__Password" "$api/alert-received-$lane" >/dev/null 2>&1 || break
    done
    [ "$lane" -eq "$lanes" ] && return 0
    sleep 1
  done
  return 1
}

# The start banner. It says where the key, the secret and the demo URL are, never their values:
# terminals, CI logs and screen shares keep whatever is printed.
print_banner() {
  local url=$1 env=$2 cli=$3
  cat <<INFO

  AlgoSignal is running at $url  (paper broker; Ctrl-C stops it)

  The API key, the HMAC secret and the demo strategy's TradingView URL are in $env
  (readable only by you). In another terminal:

    source $env
    echo "\$ALGOSIGNAL_DEMO_WEBHOOK_URL"     # the demo strategy's TradingView webhook URL

  then send the README's sample alert ("The sample alert"), or let the CLI sign and send one:

    dotnet $cli send --body '{"strategy":"demo","action":"buy","symbol":"BINANCE:BTCUSDT","price":42000,"quantity":1}'

INFO
}
