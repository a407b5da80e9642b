#!/usr/bin/env bash
# The whole bank-crm stack on this machine, without Docker:
#   stack.sh start   install deps if missing, start PostgreSQL and Kafka, build, set up every
#                    service (database, migrations, topics), start all five services in the
#                    background and wait until each answers /health/ready
#   stack.sh stop    stop what `start` started (services, and Kafka if it started it), by pid
#   stack.sh status
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUN_DIR="$STATE_DIR/stack${STACK_NAME:+-$STACK_NAME}"
LOG_DIR="$RUN_DIR/logs"
READY_TIMEOUT="${STACK_READY_TIMEOUT:-180}"

service_env() { # <service>: the environment a service runs with locally
  local s="$1"
  printf '%s\n' \
    "PORT=${SERVICE_PORTS[$s]}" \
    "DATABASE_URL=$(database_url "$s")" \
    "KAFKA_BROKERS=$KAFKA_BROKERS" \
    "KAFKA_GROUP_ID=bank-crm.$s${STACK_NAME:+.$STACK_NAME}${STACK_GROUP_SUFFIX:+.$STACK_GROUP_SUFFIX}" \
    "KAFKA_NEW_GROUP_START_AT=${STACK_KAFKA_NEW_GROUP_START_AT:-}" \
    "LOG_LEVEL=${LOG_LEVEL:-info}" \
    "JWT_PUBLIC_KEY_FILE=$STATE_DIR/dev-keys/public.pem" \
    "NODE_ENV=development"
}

entry() { printf '%s/dist/apps/%s/apps/%s/src/main.js' "$ROOT" "$1" "$1"; }

# alive, and still our service (a pid left from a crash may have been reused by another program)
pid_alive() { # <pidfile> <service>
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "apps/$2/src/main.js"
}

start() {
  mkdir -p "$LOG_DIR"
  ensure_dependencies
  log "development key pair for access tokens (.local/dev-keys)"
  (cd "$ROOT" && SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/dev-keys.ts >/dev/null)
  ensure_postgres
  if ! bash "$ROOT/scripts/kafka/kafka.sh" status >/dev/null 2>&1; then
    ensure_kafka
    touch "$RUN_DIR/kafka.started-by-stack"
  fi
  log "building the services"
  (cd "$ROOT" && NX_DAEMON=false npx nx run-many -t build --projects=tag:type:app --outputStyle=static >&2)

  # every service's set-up first: consumers need the topics their producers own
  for s in "${SERVICES[@]}"; do
    log "setting up $s (database, migrations, topics)"
    env $(service_env "$s") node "$(entry "$s")" setup >>"$LOG_DIR/$s-setup.log" 2>&1 \
      || die "set-up of $s failed; see $LOG_DIR/$s-setup.log"
  done

  for s in "${SERVICES[@]}"; do
    local pidfile="$RUN_DIR/$s.pid"
    if pid_alive "$pidfile" "$s"; then
      log "$s is already running (pid $(cat "$pidfile"))"
      continue
    fi
    log "starting $s on port ${SERVICE_PORTS[$s]}"
    env $(service_env "$s") nohup node "$(entry "$s")" >>"$LOG_DIR/$s.log" 2>&1 &
    echo $! >"$pidfile"
  done

  local deadline=$((SECONDS + READY_TIMEOUT))
  for s in "${SERVICES[@]}"; do
    local url="http://127.0.0.1:${SERVICE_PORTS[$s]}/health/ready"
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do
      pid_alive "$RUN_DIR/$s.pid" "$s" || die "$s exited; last lines of $LOG_DIR/$s.log:
$(tail -n 20 "$LOG_DIR/$s.log")"
      [ $SECONDS -lt $deadline ] || die "$s not ready after ${READY_TIMEOUT}s: $(curl -s "$url")"
      sleep 1
    done
    log "$s is ready"
  done

  # the demo bank, once per stack (skip with --no-demo or STACK_DEMO=0)
  local demo_marker="$RUN_DIR/demo-loaded"
  local demo_text=""
  if [ "${STACK_DEMO:-1}" != 0 ] && [ ! -f "$demo_marker" ]; then
    log "loading the demo bank (skip with: npm run stack -- --no-demo)"
    demo_text=$(cd "$ROOT" && SWC_NODE_PROJECT=tsconfig.base.json node --max-old-space-size=4096 -r @swc-node/register \
      scripts/demo-data.ts --port-base "$STACK_PORT_BASE" --database-url "$(database_url account-bridge)" \
      2>>"$LOG_DIR/demo-data.log" | sed -n '/^Demo bank loaded/,$p') ||
      die "loading the demo data failed; see $LOG_DIR/demo-data.log"
    printf '%s\n' "$demo_text" >"$demo_marker"
  elif [ -f "$demo_marker" ]; then
    demo_text=$(cat "$demo_marker")
  fi

  cat <<MSG

bank-crm is running:
$(for s in "${SERVICES[@]}"; do printf '  %-16s http://127.0.0.1:%s  (API docs: /docs, health: /health/ready, metrics: /metrics)\n' "$s" "${SERVICE_PORTS[$s]}"; done)
  Kafka            $KAFKA_BROKERS
  PostgreSQL       $PG_HOST:$PG_PORT (databases bank_crm_*)
  Logs             $LOG_DIR
  Tokens           npm run -s token -- --role admin --user me   (roles: docs/security.md)

Stop everything with: npm run stack:stop
$demo_text
MSG
}

stop() {
  for s in "${SERVICES[@]}"; do
    local pidfile="$RUN_DIR/$s.pid"
    if pid_alive "$pidfile" "$s"; then
      local pid
      pid=$(cat "$pidfile")
      log "stopping $s (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && { log "$s did not stop in 15 s; killing it"; kill -KILL "$pid" || true; }
    fi
    rm -f "$pidfile"
  done
  if [ -f "$RUN_DIR/kafka.started-by-stack" ]; then
    bash "$ROOT/scripts/kafka/kafka.sh" stop >&2 || true
    rm -f "$RUN_DIR/kafka.started-by-stack"
  fi
  log "stopped (PostgreSQL is the machine's own server and keeps running)"
}

status() {
  for s in "${SERVICES[@]}"; do
    if pid_alive "$RUN_DIR/$s.pid" "$s"; then
      printf '%-16s running (pid %s) ready=%s\n' "$s" "$(cat "$RUN_DIR/$s.pid")" \
        "$(curl -fsS -o /dev/null -w yes "http://127.0.0.1:${SERVICE_PORTS[$s]}/health/ready" 2>/dev/null || echo no)"
    else
      printf '%-16s stopped\n' "$s"
    fi
  done
  printf '%-16s %s\n' kafka "$(bash "$ROOT/scripts/kafka/kafka.sh" status 2>/dev/null || true)"
}

case "${1:-start}" in
  start)
    [ "${2:-}" = "--no-demo" ] && STACK_DEMO=0
    start
    ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: stack.sh start|stop|status" ;;
esac
