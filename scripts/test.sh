#!/usr/bin/env bash
# `npm test`: from a fresh clone, installs what is missing, starts the real infrastructure
# (PostgreSQL, a Kafka broker), then runs every tier: type checks, unit, integration, the Kafka script test, end to end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_dependencies
ensure_postgres
started_kafka=0
if ! bash scripts/kafka/kafka.sh status >/dev/null 2>&1; then
  ensure_kafka
  started_kafka=1
fi
cleanup() { [ "$started_kafka" = 1 ] && [ -z "${KEEP_KAFKA:-}" ] && bash scripts/kafka/kafka.sh stop >&2 || true; }
trap cleanup EXIT

export NX_DAEMON=false KAFKA_BROKERS
run_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "type checks"
npx nx run-many -t typecheck --outputStyle=static
log "unit tests"
npx jest -c jest.config.ts
log "integration tests (real PostgreSQL and Kafka)"
# --forceExit: kafkajs can keep a socket or timer open for a moment after the last test
npx jest -c jest.integration.config.ts --runInBand --forceExit
log "contract audit: every event this run produced validates against its contract"
SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/contract-audit.ts --since "$run_started"
log "Kafka script test"
bash scripts/kafka/kafka.test.sh
log "end-to-end: the stack as a user runs it"
npx jest -c jest.e2e.config.ts
