#!/usr/bin/env bash
# The feature server under wrk: starts the server benchmark's repo and `granary serve` (Redis or SQLite),
# then runs wrk for /get-online-features (1 entity x 50 features) at 1 and 32 connections and /health at 32.
# Each 1-connection run alternates with one on the floor of this machine: an empty ASP.NET Core endpoint that parses
# the same body and answers the same bytes (KestrelFloor), so the two tails are read on the same minute.
# Usage: bench/server-wrk.sh [redis|sqlite] [seconds] [rounds]   (needs wrk: apt-get install wrk; a Release build:
#   dotnet build -c Release bench/Granary.Benchmarks). Extra environment (DOTNET_gcServer=1 ...) reaches the server.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-redis}
seconds=${2:-10}
rounds=${3:-1}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
out=$(mktemp)
dotnet artifacts/bin/Granary.Benchmarks/release_linux-x64/Granary.Benchmarks.dll server --${store}-only --hold $((seconds * (3 + 2 * rounds) + 60)) >"$out" 2>&1 &
bench=$!
stop() { [ -n "${body:-}" ] && touch "$(dirname "$body")/stop"; wait $bench 2>/dev/null || true; rm -f "$out"; }
trap stop EXIT
for _ in $(seq 1 120); do grep -q '^READY' "$out" && break; sleep 1; done
read -r _ _ url _ pid _ body < <(grep '^READY' "$out") || { cat "$out" >&2; exit 1; }
read -r _ floor < <(grep '^FLOOR' "$out")
export BODY=$body
echo "store $store, server pid $pid, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c1 -d10s -s bench/get-online-features.lua "${url}get-online-features" >/dev/null # warm-up: tier-1 compilation
wrk -t1 -c1 -d5s -s bench/get-online-features.lua "${floor}get-online-features" >/dev/null
for _ in $(seq 1 "$rounds"); do
  echo "1 x 50, 1 connection:";   wrk -t1 -c1 -d${seconds}s -s bench/get-online-features.lua "${url}get-online-features" | grep -E '^p50|Requests/sec|Non-2xx'
  echo "floor, 1 connection:";    wrk -t1 -c1 -d${seconds}s -s bench/get-online-features.lua "${floor}get-online-features" | grep -E '^p50|Requests/sec|Non-2xx'
done
echo "1 x 50, 32 connections:"; wrk -t1 -c32 -d${seconds}s -s bench/get-online-features.lua "${url}get-online-features" | grep -E '^p50|Requests/sec|Non-2xx'
echo "GET /health, 32 connections:"; wrk -t1 -c32 -d${seconds}s --latency "${url}health" | grep -E '99%|Requests/sec'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
