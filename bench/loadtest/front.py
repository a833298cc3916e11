"""The shipped nginx site (deploy/nginx/ovop.conf) in front of several gunicorn instances, on
loopback with a self-signed certificate, for ``python -m bench.loadtest --servers N``.

The site is used as shipped; only what a real install fills in differs (ports, server name,
certificate and log paths, the static folder), and its upstream lists every instance, as
docs/deploy.md (section 6) describes for several app servers. Needs nginx and root (as
scripts/deploy_check.sh).
"""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "ovop.conf"
SHIPPED_UPSTREAM = "    server 127.0.0.1:8000 fail_timeout=0;\n"


def site(*, app_ports: list[int], http_port: int, https_port: int, work: Path, static: Path) -> str:
    """The shipped site with this machine's ports and paths filled in."""
    text = SITE.read_text()
    if SHIPPED_UPSTREAM not in text:
        raise RuntimeError("deploy/nginx/ovop.conf no longer has the upstream this expects")
    servers = "".join(f"    server 127.0.0.1:{port} fail_timeout=0;\n" for port in app_ports)
    replacements = {
        SHIPPED_UPSTREAM: servers,
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl;",
        "server_name ovop.example.go.id;": "server_name 127.0.0.1;",
        "/etc/letsencrypt/live/ovop.example.go.id/fullchain.pem": str(work / "tls.crt"),
        "/etc/letsencrypt/live/ovop.example.go.id/privkey.pem": str(work / "tls.key"),
        "/var/log/nginx/": f"{work}/nginx-",
        "/var/lib/ovop/static/": f"{static}/",
    }
    for shipped, here in replacements.items():
        text = text.replace(shipped, here)
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line) + "\n"


def main_config(work: Path) -> str:
    return f"""user root;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    include {work}/ovop.conf;
}}
"""


def make_certificate(work: Path, *, openssl: str = "openssl") -> None:
    """A self-signed certificate for 127.0.0.1, valid one day: tls.crt and tls.key."""
    subprocess.run(  # noqa: S603 — fixed arguments
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(work / "tls.key"),
            "-out",
            str(work / "tls.crt"),
        ],
        check=True,
        capture_output=True,
    )


class Front:
    """Start nginx in front of ``app_ports``; ``stop()`` ends it."""

    def __init__(
        self, *, app_ports: list[int], http_port: int, https_port: int, work: Path, static: Path
    ) -> None:
        nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
        if nginx is None or openssl is None:
            raise RuntimeError("nginx and openssl are needed (apt-get install nginx-light)")
        self.nginx, self.work = nginx, work
        make_certificate(work, openssl=openssl)
        (work / "ovop.conf").write_text(
            site(
                app_ports=app_ports,
                http_port=http_port,
                https_port=https_port,
                work=work,
                static=static,
            )
        )
        (work / "nginx.conf").write_text(main_config(work))
        for command in (["-t", "-q"], []):
            subprocess.run(  # noqa: S603 — nginx from the system, fixed arguments
                [nginx, *command, "-c", str(work / "nginx.conf"), "-p", str(work)],
                check=True,
            )

    def stop(self) -> None:
        pid = self.work / "nginx.pid"
        if pid.exists():
            subprocess.run(  # noqa: S603
                [
                    self.nginx,
                    "-s",
                    "quit",
                    "-c",
                    str(self.work / "nginx.conf"),
                    "-p",
                    str(self.work),
                ],
                check=False,
            )
