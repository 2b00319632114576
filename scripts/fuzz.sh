#!/usr/bin/env bash
# Fuzzes the served OpenAPI document with schemathesis, as an officer and as a member, on a
# fresh SQLite database. Fails on any finding. Usage: scripts/fuzz.sh [path/to/mutua]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/mutua}"
PORT="${MUTUA_FUZZ_PORT:-18181}"
MAX_EXAMPLES="${MUTUA_FUZZ_EXAMPLES:-30}"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

export MUTUA_DATABASE_URL="$WORK/fuzz.db" MUTUA_BIND="127.0.0.1:$PORT" MUTUA_LOG=error \
    MUTUA_JWT_SECRET="fuzzing secret of at least thirty-two bytes" \
    MUTUA_BOOTSTRAP_OFFICER_EMAIL=officer@fuzz.be MUTUA_BOOTSTRAP_OFFICER_PASSWORD="fuzzing officer password" \
    MUTUA_OUTBOX_DIR="$WORK/outbox" MUTUA_RATE_LIMIT_PER_MINUTE=0 MUTUA_MAX_NEEDS_PER_DAY=0
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
login() { curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json "['access_token']"; }
OFFICER=$(login officer@fuzz.be "fuzzing officer password")
ORG=$(curl -sf -X POST "$BASE/api/v1/organisations" -H "authorization: Bearer $OFFICER" -H 'content-type: application/json' \
    -d '{"name":"Commune de Fuzz","kind":"commune","locale":"fr"}' | json "['id']")
curl -sf -X POST "$BASE/api/v1/organisations/$ORG/users" -H "authorization: Bearer $OFFICER" -H 'content-type: application/json' \
    -d '{"email":"member@fuzz.be","name":"Member","password":"fuzzing member password","role":"member"}' >/dev/null
MEMBER=$(login member@fuzz.be "fuzzing member password")
# Something to find: a need (and so a pool) of the member's organisation.
curl -sf -X POST "$BASE/api/v1/needs" -H "authorization: Bearer $MEMBER" -H 'content-type: application/json' \
    -d '{"title":"Gestion du cimetière","description":"Registre des concessions","estimated_cost_cents":100000}' >/dev/null

status=0
for who in officer member; do
    token=$OFFICER; [ "$who" = member ] && token=$MEMBER
    echo "=== schemathesis as $who"
    st run "$BASE/api/openapi.json" \
        --checks not_a_server_error,response_schema_conformance,content_type_conformance \
        --header "Authorization: Bearer $token" \
        --max-examples "$MAX_EXAMPLES" --seed 1 --workers 1 \
        --suppress-health-check all --warnings off \
        || status=1
done
if [ $status -ne 0 ]; then echo "--- server log"; tail -50 "$WORK/server.log"; fi
exit $status
