#!/usr/bin/env bash
# Local single-node Apache Kafka broker for development and integration tests.
#
# A real broker in KRaft mode (combined broker + controller, no ZooKeeper, no Docker), assembled
# from Maven Central jars (scripts/kafka/pom.xml) and run with plain `java`.
#
# Usage: scripts/kafka/kafka.sh <command>
#   fetch         download the broker jars once (skipped while pom.xml is unchanged)
#   start         fetch if needed, format the data dir if needed, start and wait until ready
#   stop          stop gracefully (SIGTERM, SIGKILL only after KAFKA_STOP_TIMEOUT seconds)
#   restart       stop, then start
#   status        print "running (pid N)" (exit 0) or "stopped" (exit 3)
#   logs [-f]     print the tail of the server log (-f: follow it)
#   reset         stop and delete the data dir (all topics and messages)
#
# Environment (all optional):
#   KAFKA_HOME_DIR         state dir: config, data, logs, pid   (default <repo>/.local/kafka)
#   KAFKA_LIBS_DIR         jar cache                             (default $KAFKA_HOME_DIR/libs)
#   KAFKA_PORT             client listener on 127.0.0.1          (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener             (default 9093)
#   KAFKA_START_TIMEOUT    seconds to wait for readiness         (default 180)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM         (default 60)
#   KAFKA_HEAP_OPTS        JVM heap flags                        (default "-Xms512m -Xmx512m")
#   KAFKA_LOG_LINES        lines printed by `logs`               (default 200)
#   JAVA_HOME              use $JAVA_HOME/bin/java instead of java on PATH
#
# Clients connect to 127.0.0.1:$KAFKA_PORT (not "localhost": the broker listens on IPv4 only).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT_DIR="$(cd "$(dirname "$0")/../.." && pwd)"

# realpath -m: absolute even if the directory does not exist yet. The absolute path of
# server.properties is also how we recognise our own broker process (see is_our_broker).
HOME_DIR="$(realpath -m "${KAFKA_HOME_DIR:-$ROOT_DIR/.local/kafka}")"
LIBS_DIR="$(realpath -m "${KAFKA_LIBS_DIR:-$HOME_DIR/libs}")"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms512m -Xmx512m}"
LOG_LINES="${KAFKA_LOG_LINES:-200}"

DATA_DIR="$HOME_DIR/data"
LOG_DIR="$HOME_DIR/logs"
PROPS="$HOME_DIR/server.properties"
PID_FILE="$HOME_DIR/kafka.pid"
SERVER_LOG="$LOG_DIR/server.log"
OUT_LOG="$LOG_DIR/kafka.out" # JVM stdout/stderr: errors from before logging is set up
LOCK_FILE="$HOME_DIR/.kafka.sh.lock"
POM="$SCRIPT_DIR/pom.xml"
TEMPLATE="$SCRIPT_DIR/server.properties.template"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"
FETCH_MARKER="$LIBS_DIR/.fetched" # holds the sha256 of the pom the jars came from

DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
# Fixed cluster id (base64url of the 16 bytes "bank-crm-local-1"), so every local data dir
# belongs to the same cluster. NODE_ID must match node.id in the template.
CLUSTER_ID="YmFuay1jcm0tbG9jYWwtMQ"
NODE_ID=1

log() { printf 'kafka: %s\n' "$*" >&2; }
die() {
  printf 'kafka: error: %s\n' "$*" >&2
  exit 1
}

for var in PORT CONTROLLER_PORT START_TIMEOUT STOP_TIMEOUT LOG_LINES; do
  [[ ${!var} =~ ^[0-9]+$ ]] || die "$var must be a number, got '${!var}'"
done
[[ $PORT != "$CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="java"
fi

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

# True if something accepts TCP connections on 127.0.0.1:$1 ($0 of the inner bash).
# shellcheck disable=SC2016
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

# Who listens on port $1 (best effort, for error messages).
port_owner() {
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1
}

# True if pid $1 exists and is not a zombie (kill -0 succeeds on zombies).
process_alive() {
  local state
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n $state && $state != Z ]]
}

# True if pid $1 is *our* broker: a live java process running kafka.Kafka with this
# KAFKA_HOME_DIR's server.properties. A broker of another KAFKA_HOME_DIR (e.g. the test broker)
# or an unrelated program that reused the pid does not count.
is_our_broker() {
  local pid="$1" arg has_main=0 has_props=0
  local -a argv=()
  process_alive "$pid" || return 1
  mapfile -d '' argv 2>/dev/null <"/proc/$pid/cmdline" || return 1
  ((${#argv[@]} > 0)) || return 1
  [[ $(basename -- "${argv[0]}") == java ]] || return 1
  for arg in "${argv[@]:1}"; do
    [[ $arg == kafka.Kafka ]] && has_main=1
    [[ $arg == "$PROPS" ]] && has_props=1
  done
  ((has_main && has_props))
}

# Prints the pid of our broker, or fails. Trusts the pid file only after checking the process,
# and falls back to scanning /proc so that a lost pid file never leads to a second broker.
find_broker_pid() {
  local pid file
  if [[ -f $PID_FILE ]]; then
    pid="$(tr -dc '0-9' 2>/dev/null <"$PID_FILE" || true)"
    if [[ -n $pid ]] && is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  # grep -z treats each NUL-separated argument as a line; -x: an argument equal to $PROPS.
  while IFS= read -r file; do
    pid="${file#/proc/}"
    pid="${pid%/cmdline}"
    if is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  done < <(grep -lzxF -- "$PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true)
  return 1
}

# Removes a pid file that does not point at our broker (process gone, or pid reused).
clean_stale_pid() {
  local pid what
  [[ -f $PID_FILE ]] || return 0
  pid="$(tr -dc '0-9' 2>/dev/null <"$PID_FILE" || true)"
  if [[ -n $pid ]] && is_our_broker "$pid"; then
    return 0
  fi
  if [[ -z $pid ]]; then
    what="empty or invalid"
  elif process_alive "$pid"; then
    what="pid $pid now belongs to another program: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-80)"
  else
    what="pid $pid is not running"
  fi
  log "removing stale pid file ($what)"
  rm -f "$PID_FILE"
}

# Serialises start/stop/reset on one KAFKA_HOME_DIR (two concurrent `start`s must not race).
# The lock is held on fd 9 until the script exits; the broker is started with fd 9 closed.
HOME_LOCKED=0
lock_home() {
  ((HOME_LOCKED)) && return 0
  mkdir -p "$HOME_DIR"
  exec 9>"$LOCK_FILE"
  if ! flock -n 9; then
    log "another kafka.sh is working on $HOME_DIR; waiting for it..."
    flock -w $((START_TIMEOUT + 900)) 9 || die "timed out waiting for the lock $LOCK_FILE"
  fi
  HOME_LOCKED=1
}

# Size of the server log in bytes (0 if missing), to look only at lines written after a point.
log_size() {
  stat -c %s "$SERVER_LOG" 2>/dev/null || echo 0
}

# True if the server log, from byte offset $1 on, contains $2.
log_contains_since() {
  local offset="$1" size
  size="$(log_size)"
  ((size >= offset)) || offset=0 # the log rolled over in the meantime
  # Process substitution, not a pipe: with pipefail, `tail | grep -q` can fail on SIGPIPE.
  grep -qF -- "$2" < <(tail -c "+$((offset + 1))" "$SERVER_LOG" 2>/dev/null)
}

# Byte offsets of the two logs when this script launched the broker: failure reports show only
# what this start wrote (the server log also holds earlier runs and the format tool's output).
SERVER_LOG_OFFSET=0
OUT_LOG_OFFSET=0

# tail_since <file> <offset> <lines>: the last lines of what was written to file after offset.
tail_since() {
  local size offset="$2"
  size="$(stat -c %s "$1" 2>/dev/null || echo 0)"
  ((size >= offset)) || offset=0
  { tail -c "+$((offset + 1))" "$1" 2>/dev/null || true; } | tail -n "$3"
}

print_log_tail() {
  local text
  text="$(tail_since "$SERVER_LOG" "$SERVER_LOG_OFFSET" 40)"
  if [[ -n $text ]]; then
    printf '\n----- %s (last 40 lines of this start) -----\n%s\n' "$SERVER_LOG" "$text" >&2
  fi
  text="$(tail_since "$OUT_LOG" "$OUT_LOG_OFFSET" 20)"
  if [[ -n $text ]]; then
    printf '\n----- %s (JVM output of this start) -----\n%s\n' "$OUT_LOG" "$text" >&2
  fi
  printf -- '-----\n' >&2
}

# ---------------------------------------------------------------------------------------------
# fetch
# ---------------------------------------------------------------------------------------------

jars_fetched() {
  [[ -f $FETCH_MARKER && "$(cat "$FETCH_MARKER")" == "$(sha256sum "$POM" | cut -d' ' -f1)" ]]
}

cmd_fetch() {
  local want tmp count pid
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  if jars_fetched; then
    log "jars already fetched in $LIBS_DIR"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found on PATH (needed once to download the Kafka jars)"
  mkdir -p "$(dirname "$LIBS_DIR")"

  # The jar cache may be shared by several KAFKA_HOME_DIRs (the test does that): lock it too.
  exec 8>"$LIBS_DIR.lock"
  flock -w 1800 8 || die "timed out waiting for the lock $LIBS_DIR.lock"
  if jars_fetched; then # fetched by someone else while we waited
    exec 8>&-
    return 0
  fi

  log "fetching the Kafka jars from Maven Central into $LIBS_DIR (can take a few minutes)..."
  # Download into a temp dir next to the cache and swap it in at the end, so an interrupted
  # fetch never leaves a half-filled cache. Maven runs on a copy of the pom in the temp dir so
  # that nothing (target/) is written into the source tree. Its output goes to a file, shown
  # only on failure (Maven 3.8 prints stray ANSI codes even with -q -B).
  tmp="$(mktemp -d "$LIBS_DIR.tmp.XXXXXX")"
  cp "$POM" "$tmp/pom.xml"
  if ! mvn -q -B -f "$tmp/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$tmp/libs" >"$tmp/mvn.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$tmp/mvn.log" | tail -n 40 >&2
    rm -rf "$tmp"
    die "maven could not fetch the jars (is Maven Central reachable?)"
  fi
  if ! compgen -G "$tmp/libs/kafka_2.13-*.jar" >/dev/null ||
    ! compgen -G "$tmp/libs/log4j-slf4j-impl-*.jar" >/dev/null; then
    rm -rf "$tmp"
    die "fetched jars are incomplete (no kafka_2.13 or log4j-slf4j-impl jar)"
  fi
  echo "$want" >"$tmp/libs/.fetched"
  rm -rf "$LIBS_DIR"
  mv "$tmp/libs" "$LIBS_DIR"
  rm -rf "$tmp"
  exec 8>&-

  count="$(find "$LIBS_DIR" -name '*.jar' | wc -l)"
  log "fetched $count jars ($(du -sh "$LIBS_DIR" | cut -f1)) into $LIBS_DIR"
  if pid="$(find_broker_pid)" && grep -qzxF -- "$LIBS_DIR/*" "/proc/$pid/cmdline" 2>/dev/null; then
    log "note: the running broker (pid $pid) still uses the old jars; run '$0 restart'"
  fi
}

# ---------------------------------------------------------------------------------------------
# start
# ---------------------------------------------------------------------------------------------

render_config() {
  local content
  [[ -f $TEMPLATE ]] || die "missing $TEMPLATE"
  content="$(<"$TEMPLATE")"
  # Quoted replacements: bash 5.2 would otherwise treat '&' in a path specially.
  content="${content//@LOG_DIRS@/"$DATA_DIR"}"
  content="${content//@PORT@/"$PORT"}"
  content="${content//@CONTROLLER_PORT@/"$CONTROLLER_PORT"}"
  if grep -qE '@[A-Z_]+@' <<<"$content"; then
    die "unreplaced placeholder in $TEMPLATE: $(grep -oE '@[A-Z_]+@' <<<"$content" | head -n 1)"
  fi
  printf '# GENERATED by scripts/kafka/kafka.sh from %s - do not edit.\n%s\n' \
    "$TEMPLATE" "$content" >"$PROPS.tmp"
  mv "$PROPS.tmp" "$PROPS"
}

meta_value() { # meta_value <key>: value of key in meta.properties
  sed -n "s/^$1=//p" "$DATA_DIR/meta.properties" | tr -d '\r'
}

# Formats the data dir once. A data dir left by a crash is reused as is (Kafka recovers it).
format_if_needed() {
  local out cluster node
  if [[ -f $DATA_DIR/meta.properties ]]; then
    cluster="$(meta_value cluster.id)"
    node="$(meta_value node.id)"
    if [[ $cluster != "$CLUSTER_ID" || $node != "$NODE_ID" ]]; then
      die "the data dir $DATA_DIR belongs to cluster '$cluster' node '$node', expected cluster \
'$CLUSTER_ID' node '$NODE_ID' (inconsistent data dir). Run '$0 reset' to wipe it (all topics \
and messages are lost)."
    fi
    return 0
  fi
  # Files but no meta.properties: an interrupted format or foreign data. Formatting on top of it
  # could mix two metadata logs; let the user decide.
  if [[ -d $DATA_DIR ]] && [[ -n "$(ls -A "$DATA_DIR")" ]]; then
    die "the data dir $DATA_DIR is not empty but has no meta.properties (interrupted format or \
corrupt data dir). Run '$0 reset' to wipe it (all topics and messages are lost)."
  fi
  mkdir -p "$DATA_DIR" || die "cannot create the data dir $DATA_DIR"
  log "formatting $DATA_DIR (cluster id $CLUSTER_ID)"
  # No --standalone: the config has a static controller.quorum.voters.
  if ! out="$("$JAVA" -Xmx256m -Djava.awt.headless=true -Dkafka.logs.dir="$LOG_DIR" \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -cp "$LIBS_DIR/*" \
    kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "formatting the data dir $DATA_DIR failed (corrupt or inconsistent data dir?). Run \
'$0 reset' to wipe it (all topics and messages are lost), then start again."
  fi
}

# Waits until the broker answers on the client port and (if $2 is set) has logged
# "Kafka Server started" after byte offset $2 of the server log. Progress goes to stderr.
wait_ready() {
  local pid="$1" offset="${2:-}" started="$SECONDS" elapsed adopted
  while :; do
    elapsed=$((SECONDS - started))
    if ! is_our_broker "$pid"; then
      # `setsid` may fork when run under job control; the broker then has another pid.
      if adopted="$(find_broker_pid)"; then
        pid="$adopted"
        echo "$pid" >"$PID_FILE"
      elif ! process_alive "$pid" || ((elapsed > 5)); then
        echo >&2
        print_log_tail
        rm -f "$PID_FILE"
        die "the broker exited during startup (after ${elapsed}s); see the logs above. If the \
data dir is damaged, '$0 reset' wipes it (all topics and messages are lost)."
      fi
    elif port_open "$PORT" && { [[ -z $offset ]] || log_contains_since "$offset" "Kafka Server started"; }; then
      echo >&2
      READY_PID="$pid"
      READY_SECONDS="$elapsed"
      return 0
    fi
    if ((elapsed >= START_TIMEOUT)); then
      echo >&2
      print_log_tail
      die "the broker (pid $pid) was not ready after ${START_TIMEOUT}s (KAFKA_START_TIMEOUT). It \
is still running: check '$0 logs', wait, or '$0 stop' it."
    fi
    if ((elapsed > 0 && elapsed % 10 == 0)); then printf '%ss' "$elapsed" >&2; else printf '.' >&2; fi
    sleep 1
  done
}

cmd_start() {
  local pid offset p owner
  lock_home
  clean_stale_pid

  if pid="$(find_broker_pid)"; then
    echo "$pid" >"$PID_FILE" # repairs a lost pid file
    if port_open "$PORT"; then
      log "already running (pid $pid) on 127.0.0.1:$PORT"
      return 0
    fi
    log "the broker (pid $pid) is still starting; waiting for 127.0.0.1:$PORT"
    wait_ready "$pid"
    log "ready on 127.0.0.1:$PORT (pid $READY_PID)"
    return 0
  fi

  # Not running: anything answering on our ports is someone else's.
  for p in "$PORT" "$CONTROLLER_PORT"; do
    if port_open "$p"; then
      owner="$(port_owner "$p")"
      die "port $p on 127.0.0.1 is already in use by another program${owner:+ ($owner)}, not by \
the broker of $HOME_DIR. Stop that program, or choose other ports with KAFKA_PORT / \
KAFKA_CONTROLLER_PORT."
    fi
  done

  command -v "$JAVA" >/dev/null || die "java not found (Java 17+ needed; set JAVA_HOME or PATH)"
  cmd_fetch
  mkdir -p "$LOG_DIR"
  render_config
  format_if_needed

  local -a heap
  read -r -a heap <<<"$HEAP_OPTS"
  offset="$(log_size)"
  SERVER_LOG_OFFSET="$offset"
  OUT_LOG_OFFSET="$(stat -c %s "$OUT_LOG" 2>/dev/null || echo 0)"
  printf '\n===== %s: starting kafka.Kafka %s =====\n' "$(date '+%F %T')" "$PROPS" >>"$OUT_LOG"
  log "starting the broker on 127.0.0.1:$PORT (controller 127.0.0.1:$CONTROLLER_PORT), logs in $LOG_DIR"
  # setsid + nohup: the broker gets its own session, so it outlives this script, the terminal
  # and any process-group kill aimed at the caller. fd 8/9 (our locks) must not be inherited,
  # or the broker would hold the lock for its whole life. cwd = HOME_DIR so that JVM crash
  # files (hs_err_pid*.log) land there, not in the repo.
  (
    cd "$HOME_DIR"
    exec setsid nohup "$JAVA" "${heap[@]}" \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true \
      -Dkafka.logs.dir="$LOG_DIR" \
      -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
      -cp "$LIBS_DIR/*" \
      kafka.Kafka "$PROPS"
  ) </dev/null >>"$OUT_LOG" 2>&1 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  log "waiting up to ${START_TIMEOUT}s for the broker (pid $pid)"
  wait_ready "$pid" "$offset"
  log "ready on 127.0.0.1:$PORT (pid $READY_PID) after ${READY_SECONDS}s"
}

# ---------------------------------------------------------------------------------------------
# stop / status / logs / reset
# ---------------------------------------------------------------------------------------------

stop_broker() {
  local pid started="$SECONDS"
  clean_stale_pid
  if ! pid="$(find_broker_pid)"; then
    log "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping the broker (pid $pid), up to ${STOP_TIMEOUT}s"
  kill -TERM "$pid" 2>/dev/null || true
  while is_our_broker "$pid" && ((SECONDS - started < STOP_TIMEOUT)); do
    printf '.' >&2
    sleep 1
  done
  echo >&2
  if is_our_broker "$pid"; then
    # After a kill the next start recovers the data dir, and takes ~10 s longer: the controller
    # rejects the new broker registration until the old one's session (9 s) has expired.
    log "the broker did not stop within ${STOP_TIMEOUT}s; sending SIGKILL (it will recover its data on the next start)"
    kill -KILL "$pid" 2>/dev/null || true
    started="$SECONDS"
    while process_alive "$pid" && ((SECONDS - started < 10)); do sleep 1; done
    process_alive "$pid" && die "the broker (pid $pid) survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  log "stopped after $((SECONDS - started))s"
}

cmd_status() {
  local pid
  if pid="$(find_broker_pid)"; then
    echo "running (pid $pid)"
    port_open "$PORT" || log "note: not (yet) accepting connections on 127.0.0.1:$PORT"
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_logs() {
  [[ -f $SERVER_LOG ]] || die "no server log yet ($SERVER_LOG)"
  case "${1:-}" in
    -f | --follow) exec tail -n "$LOG_LINES" -F "$SERVER_LOG" ;;
    "") tail -n "$LOG_LINES" "$SERVER_LOG" ;;
    *) die "usage: $0 logs [-f]" ;;
  esac
}

cmd_reset() {
  lock_home
  stop_broker
  rm -rf -- "$DATA_DIR"
  log "deleted the data dir $DATA_DIR (formatted again on the next start)"
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop)
      lock_home
      stop_broker
      ;;
    restart)
      lock_home
      stop_broker
      cmd_start
      ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    reset) cmd_reset ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
