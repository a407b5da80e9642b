# Shared helpers for the project's scripts (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$ROOT/.local"
SERVICES=(customer-master account-bridge marketing sales service)

# STACK_NAME runs a second, separate stack beside the default one (the end-to-end tests use it):
# its own ports (STACK_PORT_BASE+1..+5), databases (bank_crm_<service>_<name>), consumer groups
# and state folder; Kafka and PostgreSQL are shared.
STACK_NAME="${STACK_NAME:-}"
STACK_PORT_BASE="${STACK_PORT_BASE:-3000}"
declare -A SERVICE_PORTS=(
  [customer-master]=$((STACK_PORT_BASE + 1)) [account-bridge]=$((STACK_PORT_BASE + 2))
  [marketing]=$((STACK_PORT_BASE + 3)) [sales]=$((STACK_PORT_BASE + 4)) [service]=$((STACK_PORT_BASE + 5))
)

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

database_url() { # <service>
  local db="bank_crm_${1//-/_}${STACK_NAME:+_${STACK_NAME//-/_}}"
  printf 'postgres://%s@%s:%s/%s' "$PG_USER" "$PG_HOST" "$PG_PORT" "$db"
}

# Installs the npm dependencies when they are missing or older than the lockfile.
ensure_dependencies() {
  cd "$ROOT"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund >&2
  fi
}

# Uses the PostgreSQL server on $PG_HOST:$PG_PORT, starting the machine's cluster if it is down.
ensure_postgres() {
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then return 0; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    log "PostgreSQL is down; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null && return 0
    sleep 1
  done
  die "PostgreSQL is not reachable on $PG_HOST:$PG_PORT"
}

ensure_kafka() {
  bash "$ROOT/scripts/kafka/kafka.sh" start >&2
}
