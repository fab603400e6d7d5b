#!/usr/bin/env bash
# The suites that must not regress between releases, twice each, on the checkout this script is in:
# training data (offline), online reads and writes (online), on-demand reads (online-odfv), the feature
# server (server); then the feature server under wrk. Run it on both checkouts on a quiet machine and
# compare (docs/benchmarks.md, "0.2 against 0.1").
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Granary.Benchmarks -v quiet -nologo >/dev/null
B=artifacts/bin/Granary.Benchmarks/release_linux-x64/Granary.Benchmarks.dll
echo "commit $(git rev-parse --short HEAD)"
for i in 1 2; do
  for s in offline online online-odfv; do
    echo "=== $s run $i $(date -Is) load $(cat /proc/loadavg)"
    dotnet "$B" "$s" 2>&1 | tail -60
  done
  echo "=== server run $i $(date -Is) load $(cat /proc/loadavg)"
  dotnet "$B" server --seconds 10 2>&1 | tail -40
done
if [ -x bench/server-wrk.sh ] && command -v wrk >/dev/null; then
  for s in redis sqlite; do echo "=== wrk $s $(date -Is)"; bench/server-wrk.sh "$s" 10 2>&1; done
fi
