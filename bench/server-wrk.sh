#!/usr/bin/env bash
# The feature server under wrk: starts the server benchmark's repo and `granary serve` (Redis or SQLite),
# then runs wrk for /get-online-features (1 entity x 50 features) at 1 and 32 connections and /health at 32.
# Usage: bench/server-wrk.sh [redis|sqlite] [seconds]   (needs wrk: apt-get install wrk; a Release build:
#   dotnet build -c Release bench/Granary.Benchmarks). Extra environment (DOTNET_gcServer=1 ...) reaches the server.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-redis}
seconds=${2:-10}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
out=$(mktemp)
dotnet artifacts/bin/Granary.Benchmarks/release_linux-x64/Granary.Benchmarks.dll server --${store}-only --hold $((seconds * 3 + 60)) >"$out" 2>&1 &
bench=$!
stop() { [ -n "${body:-}" ] && touch "$(dirname "$body")/stop"; wait $bench 2>/dev/null || true; rm -f "$out"; }
trap stop EXIT
for _ in $(seq 1 120); do grep -q '^READY' "$out" && break; sleep 1; done
read -r _ _ url _ pid _ body < <(grep '^READY' "$out") || { cat "$out" >&2; exit 1; }
export BODY=$body
echo "store $store, server pid $pid, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c1 -d2s -s bench/get-online-features.lua "${url}get-online-features" >/dev/null # warm-up
echo "1 x 50, 1 connection:";   wrk -t1 -c1 -d${seconds}s -s bench/get-online-features.lua "${url}get-online-features" | grep -E '^p50|Requests/sec|Non-2xx'
echo "1 x 50, 32 connections:"; wrk -t1 -c32 -d${seconds}s -s bench/get-online-features.lua "${url}get-online-features" | grep -E '^p50|Requests/sec|Non-2xx'
echo "GET /health, 32 connections:"; wrk -t1 -c32 -d${seconds}s --latency "${url}health" | grep -E '99%|Requests/sec'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
