#!/usr/bin/env bash
# Set up (or bring up to date) ovop on a Debian 12 server: system packages, the ovop user,
# the PostgreSQL role and database, the virtualenv with the pinned dependencies, migrate,
# regions, collectstatic, the systemd units and timers, and nginx.
#
# Idempotent: run it again after `git pull` and it only does what is missing or changed.
#
#   sudo deploy/install.sh --domain ovop.kalselprov.go.id
#   deploy/install.sh --dry-run          # print every step, change nothing
#
# See docs/deploy.md.
set -euo pipefail

APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR=/var/lib/ovop
ENV_DIR=/etc/ovop
ENV_FILE="$ENV_DIR/ovop.env"
SERVICE_USER=ovop
DATABASE=ovop
DOMAIN="${OVOP_DOMAIN:-}"
DRY_RUN=0
UNITS=(ovop.service ovop-worker.service
       ovop-reminders.service ovop-reminders.timer
       ovop-certificate-expiry.service ovop-certificate-expiry.timer
       ovop-backup.service ovop-backup.timer)
ENABLE=(ovop.service ovop-worker.service ovop-reminders.timer
        ovop-certificate-expiry.timer ovop-backup.timer)
APT_PACKAGES=(python3 python3-venv make git postgresql nginx
              libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --domain) DOMAIN="${2:?--domain needs a host name}"; shift ;;
    --domain=*) DOMAIN="${1#--domain=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\n== %s\n' "$*"; }

# Print a command, and run it unless this is a dry run.
run() {
  printf '+ %s\n' "$*"
  if [ "$DRY_RUN" -eq 0 ]; then
    "$@"
  fi
}

# A management command as the service user, with the production environment.
manage() {
  # shellcheck disable=SC2016  # expanded by the inner bash, not this one
  run runuser -u "$SERVICE_USER" -- bash -c \
    'set -a; . "$0"; set +a; cd "$1"; shift; exec "$@"' \
    "$ENV_FILE" "$APP_DIR" "$APP_DIR/.venv/bin/python" -m ovop "$@"
}

# Checks only look; in a dry run those needing root or PostgreSQL answer "not there yet".
have_user() { id -u "$SERVICE_USER" >/dev/null 2>&1; }
have_role() {
  [ "$DRY_RUN" -eq 0 ] && runuser -u postgres -- psql -tAc \
    "SELECT 1 FROM pg_roles WHERE rolname = '$SERVICE_USER'" | grep -q 1
}
have_database() {
  [ "$DRY_RUN" -eq 0 ] && runuser -u postgres -- psql -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1
}

if [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh must run as root (or with --dry-run)." >&2
  exit 1
fi
if [ "$APP_DIR" != /opt/ovop ]; then
  echo "note: the code is in $APP_DIR; the units are installed pointing there (docs assume /opt/ovop)."
fi

say "system packages"
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${APT_PACKAGES[@]}"

say "service user and directories"
if ! have_user; then
  run useradd --system --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin \
    "$SERVICE_USER"
fi
# static is read by nginx; media and backups hold private files.
run install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0755 "$DATA_DIR" "$DATA_DIR/static"
run install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0750 "$DATA_DIR/media" "$DATA_DIR/backups"
run install -d -o root -g "$SERVICE_USER" -m 0750 "$ENV_DIR"

say "environment file $ENV_FILE"
if [ -f "$ENV_FILE" ] && [ "$DRY_RUN" -eq 0 ]; then
  echo "kept (edit it by hand; deploy/ovop.env.example lists every setting)"
else
  host="${DOMAIN:-ovop.example.go.id}"
  run install -o root -g "$SERVICE_USER" -m 0640 "$APP_DIR/deploy/ovop.env.example" "$ENV_FILE"
  run sed -i "s/ovop\.example\.go\.id/$host/g" "$ENV_FILE"
  # The secret is written, never printed.
  printf '+ %s\n' "generate SECRET_KEY into $ENV_FILE"
  if [ "$DRY_RUN" -eq 0 ]; then
    secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
    sed -i "s/^SECRET_KEY=.*/SECRET_KEY=$secret/" "$ENV_FILE"
  fi
fi

say "PostgreSQL role and database"
run systemctl enable --now postgresql
if ! have_role; then
  run runuser -u postgres -- createuser "$SERVICE_USER"
fi
if ! have_database; then
  run runuser -u postgres -- createdb --owner "$SERVICE_USER" --encoding UTF8 "$DATABASE"
fi

say "virtualenv and pinned dependencies"
run make -C "$APP_DIR" install

say "database, regions, static files"
manage check --deploy
manage migrate --noinput
manage createcachetable
manage load_regions
manage collectstatic --noinput
# collectstatic runs with the unit's umask; nginx (www-data) must read what it wrote.
run chmod -R a+rX "$DATA_DIR/static"

say "systemd units and timers"
for unit in "${UNITS[@]}"; do
  run install -m 0644 "$APP_DIR/deploy/systemd/$unit" "/etc/systemd/system/$unit"
  if [ "$APP_DIR" != /opt/ovop ]; then
    run sed -i "s#/opt/ovop#$APP_DIR#g" "/etc/systemd/system/$unit"
  fi
done
run systemctl daemon-reload
run systemctl enable "${ENABLE[@]}"
run systemctl restart ovop.service ovop-worker.service
run systemctl start ovop-reminders.timer ovop-certificate-expiry.timer ovop-backup.timer

say "nginx"
site=/etc/nginx/sites-available/ovop.conf
if [ -z "$DOMAIN" ]; then
  echo "no --domain given: nginx left alone (see docs/deploy.md, TLS)."
elif [ "$DRY_RUN" -eq 0 ] && [ ! -f "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
  echo "no certificate for $DOMAIN yet: get one (docs/deploy.md, TLS), then run this again."
else
  run install -m 0644 "$APP_DIR/deploy/nginx/ovop.conf" "$site"
  run sed -i "s/ovop\.example\.go\.id/$DOMAIN/g" "$site"
  run ln -sfn "$site" /etc/nginx/sites-enabled/ovop.conf
  run rm -f /etc/nginx/sites-enabled/default
  run nginx -t
  run systemctl reload nginx
fi

say "done"
echo "Health: curl -s http://127.0.0.1:8000/healthz/ ; logs: journalctl -u ovop -f"
echo "First administrator: see docs/deploy.md (add_user)."
