"""gunicorn settings for ovop (``gunicorn -c deploy/gunicorn.conf.py``).

Everything is read from the environment (``/etc/ovop/ovop.env`` under systemd), so the same
file serves every server. See docs/deploy.md.
"""

import multiprocessing
import os
from pathlib import Path

wsgi_app = "ovop.wsgi:application"

# nginx proxies to this address; never expose gunicorn itself. A unix socket works too:
# OVOP_BIND=unix:/run/ovop/gunicorn.sock
bind = [os.environ.get("OVOP_BIND", "127.0.0.1:8000")]

# Sync workers: ovop's slow requests (PDFs, workbook imports) are CPU-bound, not waiting.
workers = int(os.environ.get("OVOP_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("OVOP_THREADS", "1"))
# A 10,000-row workbook import takes up to 20 s on a small machine; leave headroom.
timeout = int(os.environ.get("OVOP_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("OVOP_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall (gunicorn's documented advice).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 — per-worker heartbeat files, nothing secret
if Path(SHARED_MEMORY).is_dir():
    worker_tmp_dir = SHARED_MEMORY

# Only nginx on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("OVOP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# systemd supervises the server: no control socket in the service user's home.
control_socket_disable = True

# Logs go to stdout/stderr, which systemd hands to the journal.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)
if os.environ.get("OVOP_LOG_FORMAT", "plain").strip().lower() == "json":
    # The same one-object-a-line format as the application (ovop.common.logging).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ovop.common.logging.JsonFormatter"}},
        "handlers": {
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        # gunicorn merges this over its defaults key by key: name the root logger too.
        "root": {"handlers": ["error"], "level": "INFO"},
        "loggers": {
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        },
    }
