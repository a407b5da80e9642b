#!/usr/bin/env bash
# Self-contained test of scripts/kafka/kafka.sh against a real broker.
#
# Runs a second, throw-away broker (own KAFKA_HOME_DIR in a temp dir, ports 19092/19093) so it
# never touches the developer's broker on 9092; the jar cache <repo>/.local/kafka/libs is shared
# (KAFKA_LIBS_DIR) so no second download happens. Takes about a minute.
#
# Usage: scripts/kafka/kafka.test.sh        (exit 0 only if every check passed)
# Env:   TEST_KAFKA_PORT / TEST_KAFKA_CONTROLLER_PORT (default 19092 / 19093),
#        KAFKA_LIBS_DIR (default <repo>/.local/kafka/libs), KEEP_TMP=1 keeps the temp dir.
# The last line of output is always "N passed, N failed".
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
KAFKA="$SCRIPT_DIR/kafka.sh"

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kafka-test.XXXXXX")"
export KAFKA_HOME_DIR="$TMP_DIR/kafka"
export KAFKA_LIBS_DIR="${KAFKA_LIBS_DIR:-$ROOT_DIR/.local/kafka/libs}"
export KAFKA_PORT="${TEST_KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${TEST_KAFKA_CONTROLLER_PORT:-19093}"
export KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
unset KAFKA_HEAP_OPTS
PID_FILE="$KAFKA_HOME_DIR/kafka.pid"
PROPS="$KAFKA_HOME_DIR/server.properties"
META="$KAFKA_HOME_DIR/data/meta.properties"

PASSED=0
FAILED=0
FINISHED=0
HELPER_PIDS=() # processes started by this test (sleep, dummy listener), killed on exit

pass() {
  PASSED=$((PASSED + 1))
  printf '  ok    %s\n' "$1"
}
fail() {
  FAILED=$((FAILED + 1))
  printf '  FAIL  %s\n' "$1"
  if [[ -n ${OUT:-} ]]; then printf '%s\n' "$OUT" | sed 's/^/        | /' | tail -n 30; fi
}
check() { # check <description> <command...>: pass if the command succeeds
  local desc="$1"
  shift
  if "$@"; then pass "$desc"; else fail "$desc"; fi
}
section() { printf '\n== %s\n' "$1"; }

# run <kafka.sh args...>: sets OUT (stdout+stderr) and RC without aborting on failure.
run() {
  RC=0
  OUT="$("$KAFKA" "$@" 2>&1)" || RC=$?
}

# shellcheck disable=SC2016 # $0 is expanded by the inner bash: the port.
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null; }
port_closed() { ! port_open "$1"; }
pid_file() { cat "$PID_FILE" 2>/dev/null || true; }
alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }
out_has() { grep -qF -- "$1" <<<"$OUT"; }
out_lacks() { ! out_has "$1"; }
# Number of kafka.Kafka processes using the test's server.properties (must never exceed 1).
broker_count() {
  local f n=0
  # grep -z: each NUL-separated argument is a line; -x: whole argument.
  while IFS= read -r f; do
    grep -qzx kafka.Kafka "$f" 2>/dev/null && n=$((n + 1))
  done < <(grep -lzxF -- "$PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true)
  echo "$n"
}
# A pid that is certainly not running: a finished child of ours.
dead_pid() {
  local p
  true &
  p=$!
  wait "$p"
  echo "$p"
}

cleanup() {
  local p
  # Stop the test broker only (KAFKA_HOME_DIR points at the temp dir).
  "$KAFKA" stop >/dev/null 2>&1 || true
  for p in "${HELPER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ ${KEEP_TMP:-0} == 1 || $FAILED -gt 0 ]]; then
    echo "(test state kept in $TMP_DIR)"
  else
    rm -rf "$TMP_DIR"
  fi
}
on_exit() {
  local rc=$?
  if ((!FINISHED)); then # aborted by an unexpected error or a signal
    FAILED=$((FAILED + 1))
    echo "test aborted (exit code $rc)"
    cleanup
    echo "$PASSED passed, $FAILED failed"
    exit 1
  fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
echo "kafka.sh test: KAFKA_HOME_DIR=$KAFKA_HOME_DIR ports $KAFKA_PORT/$KAFKA_CONTROLLER_PORT"
echo "               jars from $KAFKA_LIBS_DIR"

# The developer's broker (if any) must be left exactly as it was.
MAIN_PID_BEFORE="$(env -u KAFKA_HOME_DIR -u KAFKA_LIBS_DIR -u KAFKA_PORT -u KAFKA_CONTROLLER_PORT \
  "$KAFKA" status 2>/dev/null | sed -n 's/^running (pid \([0-9]*\))$/\1/p' || true)"

section "preconditions"
if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
  OUT=""
  fail "ports $KAFKA_PORT/$KAFKA_CONTROLLER_PORT are free (set TEST_KAFKA_PORT/TEST_KAFKA_CONTROLLER_PORT)"
  FINISHED=1
  cleanup
  echo "$PASSED passed, $FAILED failed"
  exit 1
fi
pass "ports $KAFKA_PORT/$KAFKA_CONTROLLER_PORT are free"
run status
check "status before first start: 'stopped', exit 3" test "$RC/$OUT" = "3/stopped"

section "start"
T0=$SECONDS
run start
check "start exits 0 (took $((SECONDS - T0))s)" test "$RC" -eq 0
PID1="$(pid_file)"
check "pid file written" test -n "$PID1"
check "port $KAFKA_PORT accepts connections" port_open "$KAFKA_PORT"
check "server log says 'Kafka Server started'" grep -q "Kafka Server started" "$KAFKA_HOME_DIR/logs/server.log"
check "server.properties rendered with the test ports and data dir" \
  grep -qx "listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT" "$PROPS"
check "data dir formatted with the fixed cluster id" grep -qx "cluster.id=YmFuay1jcm0tbG9jYWwtMQ" "$META"
run status
check "status: 'running (pid $PID1)', exit 0" test "$RC/$OUT" = "0/running (pid $PID1)"

section "start when already running"
run start
check "second start exits 0" test "$RC" -eq 0
check "second start says 'already running'" out_has "already running (pid $PID1)"
check "same pid as before" test "$(pid_file)" = "$PID1"
check "exactly one broker process" test "$(broker_count)" -eq 1

section "lost pid file while running"
rm -f "$PID_FILE"
run status
check "status still finds the broker" test "$RC/$OUT" = "0/running (pid $PID1)"
run start
check "start does not start a second broker" test "$RC" -eq 0 -a "$(broker_count)" -eq 1
check "start restores the pid file" test "$(pid_file)" = "$PID1"

section "stop"
run stop
check "stop exits 0" test "$RC" -eq 0
check "broker process is gone" test "$(broker_count)" -eq 0
check "pid file removed" test ! -e "$PID_FILE"
check "port $KAFKA_PORT closed" port_closed "$KAFKA_PORT"
run status
check "status: 'stopped', exit 3" test "$RC/$OUT" = "3/stopped"
run stop
check "stop when stopped exits 0" test "$RC" -eq 0

section "start again (reuses the data dir)"
DIR_ID="$(sed -n 's/^directory.id=//p' "$META")"
run start
PID2="$(pid_file)"
check "start exits 0" test "$RC" -eq 0
check "new pid ($PID2)" test -n "$PID2" -a "$PID2" != "$PID1"
check "data dir not formatted again" test "$(sed -n 's/^directory.id=//p' "$META")" = "$DIR_ID"
check "no 'formatting' message" out_lacks "formatting"
run stop

section "stale pid file: dead pid"
BOGUS="$(dead_pid)"
echo "$BOGUS" >"$PID_FILE"
run status
check "status with a dead pid: 'stopped', exit 3" test "$RC/$OUT" = "3/stopped"
run start
PID3="$(pid_file)"
check "start exits 0" test "$RC" -eq 0
check "start reports the stale pid file" out_has "removing stale pid file"
check "pid file now holds the broker ($PID3, not $BOGUS)" test -n "$PID3" -a "$PID3" != "$BOGUS"
check "exactly one broker process" test "$(broker_count)" -eq 1
run stop

section "stale pid file: pid reused by another program"
sleep 600 &
SLEEP_PID=$!
HELPER_PIDS+=("$SLEEP_PID")
echo "$SLEEP_PID" >"$PID_FILE"
run status
check "status: 'stopped', exit 3" test "$RC/$OUT" = "3/stopped"
run stop
check "stop exits 0 without touching the other program" test "$RC" -eq 0
check "the other program is still alive after stop" alive "$SLEEP_PID"
echo "$SLEEP_PID" >"$PID_FILE"
run start
PID4="$(pid_file)"
check "start exits 0" test "$RC" -eq 0
check "pid file now holds the broker ($PID4, not $SLEEP_PID)" test -n "$PID4" -a "$PID4" != "$SLEEP_PID"
check "the other program is still alive after start" alive "$SLEEP_PID"
check "exactly one broker process" test "$(broker_count)" -eq 1

section "crash (SIGKILL) and recovery"
kill -KILL "$PID4"
while alive "$PID4"; do sleep 0.2; done
run status
check "status after the crash: 'stopped', exit 3" test "$RC/$OUT" = "3/stopped"
T0=$SECONDS
run start
check "start after the crash exits 0, reusing the data dir (took $((SECONDS - T0))s)" test "$RC" -eq 0
check "data dir kept (same directory.id)" test "$(sed -n 's/^directory.id=//p' "$META")" = "$DIR_ID"
run stop

section "port taken by another program"
if command -v python3 >/dev/null && python3 -c 'import socket' 2>/dev/null; then
  python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); time.sleep(600)' "$KAFKA_PORT" &
  LISTENER_PID=$!
  HELPER_PIDS+=("$LISTENER_PID")
  for _ in $(seq 50); do
    if port_open "$KAFKA_PORT"; then break; fi
    sleep 0.1
  done
  run start
  check "start fails (exit $RC)" test "$RC" -ne 0
  check "error says the port is in use by another program" out_has "already in use by another program"
  check "no broker was started" test "$(broker_count)" -eq 0
  kill "$LISTENER_PID" 2>/dev/null || true
  wait "$LISTENER_PID" 2>/dev/null || true
else
  echo "  skip  (python3 not available to hold the port)"
fi

section "inconsistent data dir, then reset"
sed -i 's/^cluster.id=.*/cluster.id=AAAAAAAAAAAAAAAAAAAAAA/' "$META"
run start
check "start fails on a cluster id mismatch (exit $RC)" test "$RC" -ne 0
check "error points to 'reset'" out_has "reset"
check "no broker was started" test "$(broker_count)" -eq 0
run reset
check "reset exits 0" test "$RC" -eq 0
check "reset deleted the data dir" test ! -e "$KAFKA_HOME_DIR/data"
run start
check "start after reset exits 0" test "$RC" -eq 0
check "start after reset formatted a new data dir" out_has "formatting"
check "fresh data dir has the fixed cluster id" grep -qx "cluster.id=YmFuay1jcm0tbG9jYWwtMQ" "$META"

section "restart, logs, final stop"
PID5="$(pid_file)"
run restart
check "restart exits 0 with a new pid" test "$RC" -eq 0 -a "$(pid_file)" != "$PID5" -a -n "$(pid_file)"
run logs
check "logs prints the server log" out_has "Kafka Server started"
run stop
check "final stop exits 0" test "$RC" -eq 0
run status
check "final status: 'stopped', exit 3" test "$RC/$OUT" = "3/stopped"

section "developer broker untouched"
MAIN_PID_AFTER="$(env -u KAFKA_HOME_DIR -u KAFKA_LIBS_DIR -u KAFKA_PORT -u KAFKA_CONTROLLER_PORT \
  "$KAFKA" status 2>/dev/null | sed -n 's/^running (pid \([0-9]*\))$/\1/p' || true)"
check "broker of <repo>/.local/kafka unchanged (pid '${MAIN_PID_BEFORE:-none}')" \
  test "$MAIN_PID_AFTER" = "$MAIN_PID_BEFORE"

# ---------------------------------------------------------------------------------------------
FINISHED=1
echo
cleanup
echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
