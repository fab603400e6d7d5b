#!/usr/bin/env bash
# Granary's main job end to end on the embedded defaults (DuckDB over Parquet, SQLite, a registry file):
# scaffold a repo, register it, build training data, load the online store, read features back.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/src/Granary.Cli" -c Release -v quiet -nologo >/dev/null
granary="$root/artifacts/bin/Granary.Cli/release_linux-x64/granary"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { printf '\n\033[1m$ granary %s\033[0m\n' "$*"; "$granary" "$@"; }
step init driver_demo
cd driver_demo
step apply
step get-historical-features --entities data/driver_orders.csv --feature-service driver_activity --output training.csv
head -n 6 training.csv
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# Driver 1010 stopped reporting three days ago: beyond the 1-day ttl, it reads OUTSIDE_MAX_AGE, as training sees it.
step materialize 2000-01-01T00:00:00Z "$now"
step get-online-features --feature-service driver_activity --entity driver_id=1001 --entity driver_id=1010 --entity driver_id=1099 --format table
# Windowed aggregations, evaluated at the read's time: driver 1010's last day holds no reports (count 0, no average).
step get-online-features --features driver_trends:conv_rate_avg_1d,driver_trends:conv_rate_avg_7d,driver_trends:count_1d --entity driver_id=1001 --entity driver_id=1010 --format table
step teardown
