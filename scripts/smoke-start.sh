#!/usr/bin/env bash
# The README's quick start as a newcomer runs it: `npm start` (embedded PostgreSQL unless
# DATABASE_URL is set), one query through the gateway, then Ctrl-C (SIGINT to the process group).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
chmod 755 "$work" # as root, PostgreSQL runs as the postgres user and must reach its data folder
export EMBEDDED_POSTGRES_DIR="$work/postgres"
set -m # own process group, as a terminal gives one
npm start >"$work/start.log" 2>&1 &
group=$!
stop() { kill -INT -- "-$group" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:4000/ready >/dev/null 2>&1 && break
  kill -0 "$group" 2>/dev/null || { cat "$work/start.log"; echo "smoke: npm start exited early"; exit 1; }
  sleep 1
done
token=$(node dist/scripts/token.js --role admin)
answer=$(curl -sf http://127.0.0.1:4000/graphql -H 'content-type: application/json' -H "authorization: Bearer $token" \
  --data '{"query":"{ municipalities(filter: {populationBelow: 10000}) { totalCount } municipality(code: \"011002\") { name } prefecture(code: \"01\") { coreCenterGaps(populationBelow: 10000, asOf: \"2025-04-01\") { code } } }"}')
echo "smoke: $answer"
grep -q '"totalCount":543' <<<"$answer" && grep -q '札幌市' <<<"$answer" && grep -q '"014702"' <<<"$answer" \
  || { cat "$work/start.log"; exit 1; }

curl -sf http://127.0.0.1:4000/explorer | grep -q 'explorer-settings' || { echo "smoke: no explorer at /explorer"; exit 1; }

trap - EXIT
stop
status=0
wait "$group" || status=$?
# npm itself reports 130 for a Ctrl-C whatever its script did; the stack must be gone either way.
[ "$status" -eq 0 ] || [ "$status" -eq 130 ] || { cat "$work/start.log"; echo "smoke: npm start exited with $status"; exit 1; }
sleep 1
if pgrep -f dist/scripts/start.js >/dev/null; then echo "smoke: the stack is still running after Ctrl-C"; exit 1; fi
if pgrep -f "$work/postgres" >/dev/null; then echo "smoke: embedded PostgreSQL still running after Ctrl-C"; exit 1; fi

# A bad setting stops the start at once with one line, before any service or database starts.
if GATEWAY_PORT=abc node dist/scripts/start.js >"$work/bad.log" 2>&1; then echo "smoke: npm start took GATEWAY_PORT=abc"; exit 1; fi
grep -q 'GATEWAY_PORT must be an integer' "$work/bad.log" && ! grep -q 'Subgraph\|PostgreSQL' "$work/bad.log" \
  || { cat "$work/bad.log"; echo "smoke: a bad setting did not stop npm start before it started anything"; exit 1; }
rm -rf "$work"
echo "smoke: npm start served the gateway and stopped cleanly, and refused a bad setting before starting anything"
