#!/usr/bin/env bash
# The README's PostgreSQL deployment, performed for real on this machine (CI runs it):
# a fresh virtualenv from the pinned constraints, a new database, migrate, regions,
# collectstatic, an account per role with add_user, gunicorn with deploy/gunicorn.conf.py
# behind the shipped nginx site (loopback ports, a self-signed certificate), then checks
# over HTTPS through nginx, and a backup and restore of that server's database.
# Everything it starts is stopped at the end, and the database is dropped.
#
#   scripts/deploy_check.sh            # needs root (nginx), PostgreSQL on 127.0.0.1:5432
#   make deploy-check
set -euo pipefail

APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/ovop-deploy-check.XXXXXX)"
DATABASE="ovop_deploy_check"
PG="postgres://postgres@127.0.0.1:5432"
APP_PORT=18000
HTTPS_PORT=18443
HTTP_PORT=18080
BASE="https://127.0.0.1:$HTTPS_PORT"
PASSWORD="deploy-check-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PYTHON="${PYTHON:-python3}"

step() { printf '\n== deploy check: %s\n' "$*"; }
fail() {
  echo "deploy check FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  if [ -f "$WORK/gunicorn.pid" ]; then kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true; fi
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  sleep 1
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    echo "--- gunicorn log (last lines)"
    tail -n 40 "$WORK/gunicorn.log" 2>/dev/null || true
    echo "--- nginx error log (last lines)"
    tail -n 20 "$WORK/nginx-error.log" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

command -v nginx >/dev/null || fail "nginx is not installed (apt-get install nginx-light)"
command -v openssl >/dev/null || fail "openssl is not installed"

step "a fresh virtualenv with the pinned dependencies (not editable: the built package)"
"$PYTHON" "$APP_DIR/scripts/bootstrap_venv.py" "$WORK/venv" >/dev/null
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -c "$APP_DIR/requirements/constraints.txt" "$APP_DIR" 2>&1 | grep -v "^WARNING: Location" || true
"$WORK/venv/bin/python" -c "import ovop" || fail "the package did not install"
MANAGE=("$WORK/venv/bin/python" -m ovop)

step "the production environment (deploy/ovop.env.example, with this machine's paths)"
set -a
# shellcheck disable=SC1091  # the shipped example, read as the server's env file would be
. "$APP_DIR/deploy/ovop.env.example"
set +a
SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export SECRET_KEY
export DATABASE_URL="$PG/$DATABASE" ALLOWED_HOSTS=127.0.0.1 CSRF_TRUSTED_ORIGINS="$BASE"
export OVOP_BASE_URL="$BASE" OVOP_HOME="$WORK" OVOP_VAR_DIR="$WORK/var"
export MEDIA_ROOT="$WORK/var/media" STATIC_ROOT="$WORK/static"
export OVOP_BIND="127.0.0.1:$APP_PORT" OVOP_WORKERS=2 OVOP_TASKS_BACKEND=immediate
export OVOP_LOG_FORMAT=plain
unset OVOP_PLAIN_STATIC DJANGO_SETTINGS_MODULE
mkdir -p "$MEDIA_ROOT"

step "database, regions, static files, accounts"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null
psql -q "$PG/postgres" -c "CREATE DATABASE $DATABASE ENCODING 'UTF8'" >/dev/null
"${MANAGE[@]}" check --deploy --fail-level WARNING
"${MANAGE[@]}" migrate --noinput >/dev/null
"${MANAGE[@]}" createcachetable
"${MANAGE[@]}" load_regions
"${MANAGE[@]}" collectstatic --noinput | tail -n 1
declare -A ROLES=([admin]="admin:" [verifier]="verifier:63" [operator]="operator:63.03"
                  [assessor]="assessor:63" [viewer]="viewer:")
for username in "${!ROLES[@]}"; do
  role="${ROLES[$username]%%:*}"
  region="${ROLES[$username]#*:}"
  "${MANAGE[@]}" add_user "check-$username" --role "$role" ${region:+--region "$region"} \
    --email "check-$username@example.go.id" --password "$PASSWORD" >/dev/null
done

step "gunicorn (deploy/gunicorn.conf.py) behind the shipped nginx site, TLS on loopback"
(cd "$WORK" && "$WORK/venv/bin/gunicorn" -c "$APP_DIR/deploy/gunicorn.conf.py" \
  --pid "$WORK/gunicorn.pid" --daemon --access-logfile "$WORK/gunicorn.log" \
  --error-logfile "$WORK/gunicorn.log" ovop.wsgi:application)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
sed -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" \
  -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl;#" \
  -e '/listen \[::\]/d' \
  -e "s#server_name ovop.example.go.id;#server_name 127.0.0.1;#" \
  -e "s#/etc/letsencrypt/live/ovop.example.go.id/fullchain.pem#$WORK/tls.crt#" \
  -e "s#/etc/letsencrypt/live/ovop.example.go.id/privkey.pem#$WORK/tls.key#" \
  -e "s#/var/log/nginx/#$WORK/nginx-#g" \
  -e "s#/var/lib/ovop/static/#$STATIC_ROOT/#" \
  -e "s#server 127.0.0.1:8000 #server 127.0.0.1:$APP_PORT #" \
  "$APP_DIR/deploy/nginx/ovop.conf" >"$WORK/ovop.conf"
grep -q "$STATIC_ROOT/" "$WORK/ovop.conf" || fail "the nginx site no longer has the static alias"
cat >"$WORK/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $WORK/nginx-body;
    proxy_temp_path $WORK/nginx-proxy;
    fastcgi_temp_path $WORK/nginx-fastcgi;
    uwsgi_temp_path $WORK/nginx-uwsgi;
    scgi_temp_path $WORK/nginx-scgi;
    include $WORK/ovop.conf;
}
EOF
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" || fail "nginx refused the shipped site"
nginx -c "$WORK/nginx.conf" -p "$WORK"
for _ in $(seq 1 30); do
  curl -ksf "$BASE/healthz/" >/dev/null 2>&1 && break
  sleep 1
done

CURL=(curl -ks --max-time 30)
step "checks over HTTPS through nginx"
health="$("${CURL[@]}" "$BASE/healthz/")"
[ "$health" = '{"status": "ok", "database": "ok"}' ] || fail "/healthz/ answered: $health"
echo "healthz: $health"

redirect="$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/")"
[[ "$redirect" == "301 https://127.0.0.1/"* ]] || fail "plain HTTP was not sent to HTTPS: $redirect"

"${CURL[@]}" -D "$WORK/login.headers" -o "$WORK/login.html" -c "$WORK/anonymous.jar" \
  "$BASE/accounts/login/"
grep -q "^HTTP/1.1 200" "$WORK/login.headers" || fail "the sign-in page: $(head -n 1 "$WORK/login.headers")"
for header in "Strict-Transport-Security: max-age=31536000" "Content-Security-Policy:" \
  "X-Frame-Options: DENY" "X-Content-Type-Options: nosniff" "Referrer-Policy: same-origin" \
  "Cross-Origin-Opener-Policy: same-origin"; do
  grep -qi "^$header" "$WORK/login.headers" || fail "the sign-in page lacks the header $header"
done
echo "sign-in page: 200 with HSTS, CSP, X-Frame-Options, nosniff, Referrer-Policy, COOP"

static_path="$(sed -n 's#.*href="\(/static/vendor/pico/[^"]*\)".*#\1#p' "$WORK/login.html" | head -n 1)"
[ -n "$static_path" ] || fail "the sign-in page links no stylesheet"
[[ "$static_path" =~ pico\.min\.[0-9a-f]{12}\.css$ ]] || fail "the stylesheet is not hashed: $static_path"
"${CURL[@]}" -D "$WORK/static.headers" -o /dev/null -H "Accept-Encoding: gzip" "$BASE$static_path"
grep -q "^HTTP/1.1 200" "$WORK/static.headers" || fail "$static_path: $(head -n 1 "$WORK/static.headers")"
grep -qi "^Cache-Control: public, max-age=31536000, immutable" "$WORK/static.headers" ||
  fail "$static_path is not cached for a year"
grep -qi "^Content-Encoding: gzip" "$WORK/static.headers" || fail "$static_path is not compressed"
echo "static: $static_path cached for a year, gzip"

media="$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/media/anything.pdf")"
[ "$media" = 404 ] || fail "/media/ answered $media, not 404"

sign_in() { # sign_in USERNAME: a session cookie jar for that account
  local jar="$WORK/$1.jar" token
  "${CURL[@]}" -o /dev/null -c "$jar" "$BASE/accounts/login/"
  token="$(awk '$6 == "csrftoken" {print $7}' "$jar")"
  "${CURL[@]}" -o /dev/null -b "$jar" -c "$jar" -w '%{http_code}' \
    -H "Origin: $BASE" -e "$BASE/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$1" \
    --data-urlencode "password=$PASSWORD" "$BASE/accounts/login/"
}
declare -A PAGES=([admin]="/evaluation/" [verifier]="/proposals/" [operator]="/centres/"
                  [assessor]="/evaluation/assignments/" [viewer]="/reports/")
for username in "${!PAGES[@]}"; do
  answer="$(sign_in "check-$username")"
  [ "$answer" = 302 ] || fail "signing in as check-$username answered $answer"
  for page in / "${PAGES[$username]}"; do
    code="$("${CURL[@]}" -o "$WORK/page.html" -w '%{http_code}' -b "$WORK/check-$username.jar" "$BASE$page")"
    [ "$code" = 200 ] || fail "$page as check-$username answered $code"
    grep -q 'action="/accounts/logout/"' "$WORK/page.html" ||
      fail "$page does not show check-$username as signed in"
  done
  echo "signed in as check-$username: / and ${PAGES[$username]} answer 200"
done

step "backup and restore of the server's database"
"${MANAGE[@]}" backup --output "$WORK/backup.tar.gz" | tail -n 1
"${MANAGE[@]}" restore "$WORK/backup.tar.gz" --yes | tail -n 1
answer="$(sign_in check-operator)"
[ "$answer" = 302 ] || fail "signing in after the restore answered $answer"
health="$("${CURL[@]}" "$BASE/healthz/")"
[ "$health" = '{"status": "ok", "database": "ok"}' ] || fail "/healthz/ after the restore: $health"
echo "after the restore: healthz ok, check-operator signs in"

step "passed"
