#!/usr/bin/env bash
# Shared by run.sh and test.sh: makes sure RabbitMQ and PostgreSQL are installed, running
# and set up for AlgoSignal. Every step is idempotent: running it again changes nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$ROOT/.local"

log() { printf '\033[1;34m[algosignal]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[algosignal] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Connection defaults; every one can be overridden from the environment.
: "${ALGOSIGNAL_PG_HOST:=127.0.0.1}"
: "${ALGOSIGNAL_PG_PORT:=5432}"
: "${ALGOSIGNAL_PG_USER:=algosignal}"
: "${ALGOSIGNAL_PG_PASSWORD:=algosignal}"
: "${ALGOSIGNAL_PG_DATABASE:=algosignal}"
: "${ALGOSIGNAL_RABBIT_HOST:=127.0.0.1}"
: "${ALGOSIGNAL_RABBIT_PORT:=5672}"
: "${ALGOSIGNAL_RABBIT_USER:=guest}"
: "${ALGOSIGNAL_RABBIT_PASSWORD:=guest}"
# ALGOSIGNAL_EXTERNAL_SERVICES=1: use the services named above as they are (no install/start).
: "${ALGOSIGNAL_EXTERNAL_SERVICES:=0}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null 2>&1; then sudo "$@";
  else die "this step needs root ($*); run as root, install sudo, or set ALGOSIGNAL_EXTERNAL_SERVICES=1 with your own services"; fi
}

as_postgres() { as_root su postgres -s /bin/bash -c "$1"; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1; }

wait_port() {
  local host=$1 port=$2 what=$3 i
  for i in $(seq 1 60); do port_open "$host" "$port" && return 0; sleep 1; done
  die "$what did not open $host:$port within 60 s"
}

docker_engine() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

install_debian_packages() {
  local need=()
  command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  [ ${#need[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "RabbitMQ/PostgreSQL are missing and this is not a Debian/Ubuntu host: install ${need[*]} yourself (or run Docker and use docker-compose.yml), then set ALGOSIGNAL_EXTERNAL_SERVICES=1"
  log "installing ${need[*]} from the OS packages (one time)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
}

# The metrics test runs the real Prometheus server (README, Metrics). It listens on a port and in a
# data directory of its own, so a Prometheus service the package may start is left alone.
ensure_prometheus() {
  command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "the prometheus server is missing and this is not a Debian/Ubuntu host: install Prometheus so that 'prometheus' is on PATH"
  log "installing prometheus from the OS packages (one time)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
}

start_postgres() {
  if port_open "$ALGOSIGNAL_PG_HOST" "$ALGOSIGNAL_PG_PORT"; then return 0; fi
  local ver
  ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
    as_root pg_createcluster "$ver" main >/dev/null
  fi
  log "starting PostgreSQL $ver"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  wait_port "$ALGOSIGNAL_PG_HOST" "$ALGOSIGNAL_PG_PORT" PostgreSQL
}

start_rabbitmq() {
  if ! port_open "$ALGOSIGNAL_RABBIT_HOST" "$ALGOSIGNAL_RABBIT_PORT"; then
    log "starting RabbitMQ"
    as_root rabbitmq-server -detached >/dev/null 2>&1 || true
    as_root rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1 || wait_port "$ALGOSIGNAL_RABBIT_HOST" "$ALGOSIGNAL_RABBIT_PORT" RabbitMQ
  fi
  # The management plugin gives operators the UI on :15672; the tests use its API to make
  # a private virtual host per run.
  if ! port_open 127.0.0.1 15672; then
    as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1 || true
    wait_port 127.0.0.1 15672 "RabbitMQ management"
  fi
}

setup_database() {
  local q_user q_pw
  q_user=$ALGOSIGNAL_PG_USER; q_pw=${ALGOSIGNAL_PG_PASSWORD//\'/\'\'}
  # CREATEDB: the test suite makes a private database per run.
  if [ "$(as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$q_user'\"")" != 1 ]; then
    log "creating database role $q_user"
    as_postgres "psql -q -c \"CREATE ROLE \\\"$q_user\\\" LOGIN CREATEDB PASSWORD '$q_pw'\""
  fi
  if [ "$(as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='$ALGOSIGNAL_PG_DATABASE'\"")" != 1 ]; then
    log "creating database $ALGOSIGNAL_PG_DATABASE"
    as_postgres "psql -q -c \"CREATE DATABASE \\\"$ALGOSIGNAL_PG_DATABASE\\\" OWNER \\\"$q_user\\\"\""
  fi
}

ensure_services() {
  if [ "$ALGOSIGNAL_EXTERNAL_SERVICES" = 1 ]; then
    log "using external services (ALGOSIGNAL_EXTERNAL_SERVICES=1)"
  elif docker_engine && [ -f "$ROOT/docker-compose.yml" ]; then
    log "Docker engine found: starting rabbitmq and postgres with docker compose"
    docker compose -f "$ROOT/docker-compose.yml" up -d rabbitmq postgres
  else
    install_debian_packages
    start_postgres
    start_rabbitmq
    setup_database
  fi
  wait_port "$ALGOSIGNAL_PG_HOST" "$ALGOSIGNAL_PG_PORT" PostgreSQL
  wait_port "$ALGOSIGNAL_RABBIT_HOST" "$ALGOSIGNAL_RABBIT_PORT" RabbitMQ
  # TLS to a database on this same machine only costs CPU; a remote one keeps Npgsql's default.
  local ssl=""
  case "$ALGOSIGNAL_PG_HOST" in 127.0.0.1|localhost|::1) ssl=";SSL Mode=Disable" ;; esac
  export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-Host=$ALGOSIGNAL_PG_HOST;Port=$ALGOSIGNAL_PG_PORT;Username=$ALGOSIGNAL_PG_USER;Password=$ALGOSIGNAL_PG_PASSWORD;Database=$ALGOSIGNAL_PG_DATABASE$ssl}"
  export RabbitMq__Host="${RabbitMq__Host:-$ALGOSIGNAL_RABBIT_HOST}"
  export RabbitMq__Port="${RabbitMq__Port:-$ALGOSIGNAL_RABBIT_PORT}"
  export RabbitMq__Username="${RabbitMq__Username:-$ALGOSIGNAL_RABBIT_USER}"
  export RabbitMq__Password="${RabbitMq__Password:-$ALGOSIGNAL_RABBIT_PASSWORD}"
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is missing: install the SDK named in global.json (https://dot.net)"
}

# The console (src/AlgoSignal.Console, React + Vite) built into its dist/ folder, which the ingress
# build copies next to its binaries (wwwroot). Needs Node.js 20 or newer; skipped with a line when
# the folder has no package.json yet.
ensure_console() {
  local dir="$ROOT/src/AlgoSignal.Console"
  if [ ! -f "$dir/package.json" ]; then
    log "console: no src/AlgoSignal.Console/package.json yet; the ingress serves a page saying how to build it"
    return 0
  fi
  command -v node >/dev/null 2>&1 || die "Node.js is missing: the console needs Node.js 20 or newer (Debian/Ubuntu: apt-get install -y nodejs npm, or https://nodejs.org)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$major" -ge 20 ] || die "Node.js $(node --version) is too old: the console needs Node.js 20 or newer (https://nodejs.org)"
  command -v npm >/dev/null 2>&1 || die "npm is missing: install it with Node.js 20 or newer (Debian/Ubuntu: apt-get install -y npm)"
  log "building the console (npm ci, npm run build)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2 && npm run build --silent >&2) || die "the console build failed (src/AlgoSignal.Console)"
}

# Debian's Chromium for the console's end-to-end tests, driven by playwright-core; no browser is
# ever downloaded.
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "Chromium is missing and this is not a Debian/Ubuntu host: install a Chromium at /usr/bin/chromium for the console's browser tests"
  log "installing chromium from the OS packages (one time)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
