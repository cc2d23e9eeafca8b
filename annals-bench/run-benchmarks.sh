#!/usr/bin/env bash
# The final benchmark run of docs/BENCHMARKS.md, step by step, into one results directory.
# Run it on a quiet machine from the repository root:   annals-bench/run-benchmarks.sh [results-dir]
# Environment: QUERY_EVENTS (default 10000000), SMALL_EVENTS (default 1000000), DATA (default
#              /var/tmp/annals-bench-10m, kept for reruns), SKIP_JMH=1 to leave the JMH run out, SKIP_BUILD=1 to use the jar built already, BENCH_ARGS (extra
#              options for every load generator run; a check of this script: BENCH_ARGS="--warmup 1 --duration 1"
#              QUERY_EVENTS=20000 SMALL_EVENTS=10000 DATA=/tmp/q SKIP_JMH=1), SKIP_SMALL=1 to leave the
#              SMALL_EVENTS query run out, SKIP_SUBS=1 to leave out the subscription (SSE) step, SUBS_DATA (default
#              /var/tmp/annals-bench-1m, the 1M-event store it replays and drains, kept for reruns), SKIP_RELAY=1 to
#              leave out the Kafka relay step (it starts a broker of its own in /var/tmp/annals-bench-kafka).
#              The load average after each step is appended to load.txt.
set -euo pipefail
out=${1:-/tmp/annals-bench-results-$(date -u +%Y%m%dT%H%M%SZ)}
events=${QUERY_EVENTS:-10000000}
small=${SMALL_EVENTS:-1000000}
read -r -a extra <<< "${BENCH_ARGS:-}"
data=${DATA:-/var/tmp/annals-bench-10m}
mkdir -p "$out"
jar="$out/annals-bench.jar"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -ntp -q -pl annals-bench -am package -DskipTests
cp annals-bench/target/annals-bench.jar "$jar"   # a copy: a rebuild during the run must not swap classes under it
J=(java -cp "$jar" io.annals.bench.LoadGenerator)

{
  echo "## $(date -u)"; uptime; nproc; lscpu | head -20; free -h; df -h /tmp "$(dirname "$data")"; lsblk; java -version 2>&1
  echo "## fsync rate"; dd if=/dev/zero of="$out/dd.tmp" bs=4k count=3000 oflag=dsync 2>&1 | tail -1; rm -f "$out/dd.tmp"
} > "$out/machine.txt" 2>&1

load() { echo "$(date -u +%T) after $1: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"; }
load start
"${J[@]}" all "${extra[@]}" --json "$out/all.json" > "$out/all.md" 2> "$out/all.log"
load all

"${J[@]}" serve --port 0 > "$out/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 30); do grep -q 'serving http' "$out/serve.log" && break; sleep 1; done
url=$(grep -o 'http://localhost:[0-9]*' "$out/serve.log")
# Only the HTTP cases: raw and api do not touch the server, and ran in the step before.
"${J[@]}" http "${extra[@]}" --url "$url" --json "$out/http-separate.json" > "$out/http-separate.md" 2> "$out/http-separate.log"
kill "$serve_pid"; wait "$serve_pid" || true
load http-separate

if [ -z "${SKIP_SMALL:-}" ]; then
  "${J[@]}" query "${extra[@]}" --events "$small" --json "$out/query-small.json" > "$out/query-small.md" 2> "$out/query-small.log"
  load query-small
fi
"${J[@]}" query "${extra[@]}" --events "$events" --data "$data" --json "$out/query-big.json" > "$out/query-big.md" 2> "$out/query-big.log"
load query-big
"${J[@]}" query "${extra[@]}" --events "$events" --data "$data" --json "$out/query-big-2.json" > "$out/query-big-2.md" 2> "$out/query-big-2.log"
load query-big-2

if [ -z "${SKIP_SUBS:-}" ]; then
  # Issue 4: POST-to-SSE latency at 5,000 events/s open loop, and replay of 1M events over SSE against readLog.
  "${J[@]}" subscribe "${extra[@]}" --events "$small" --data "${SUBS_DATA:-/var/tmp/annals-bench-1m}" \
    --json "$out/subscribe.json" > "$out/subscribe.md" 2> "$out/subscribe.log" || echo "exit $? (events lost, repeated or none)" >> "$out/subscribe.log"
  load subscribe
fi
if [ -z "${SKIP_RELAY:-}" ]; then
  # Issue 4: the Kafka relay draining that store against a raw producer sending the same records.
  "${J[@]}" relay --events "$small" --data "${SUBS_DATA:-/var/tmp/annals-bench-1m}" \
    --json "$out/relay.json" > "$out/relay.md" 2> "$out/relay.log" || echo "exit $? (records missing or none)" >> "$out/relay.log"
  load relay
fi

if [ -z "${SKIP_JMH:-}" ]; then
  java -cp "$jar" org.openjdk.jmh.Main -rf json -rff "$out/jmh.json" > "$out/jmh.txt" 2>&1
fi
echo "results in $out (the ${events}-event store stays in $data: rm -rf it when done)"
