"""The deployment files (deploy/): units parse, nginx accepts its site, the install script is
clean shell, and gunicorn serves the app with deploy/gunicorn.conf.py."""

import configparser
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from ovop.common.workbooks.reader import MAX_WORKBOOK_BYTES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
VENV = Path(sys.prefix)
LEAKY = {"DEBUG", "DATABASE_URL", "OVOP_PLAIN_STATIC", "DJANGO_SETTINGS_MODULE", "OVOP_BIND"}
HARDENING = {
    "User": "ovop",
    "EnvironmentFile": "/etc/ovop/ovop.env",
    "ProtectSystem": "strict",
    "ReadWritePaths": "/var/lib/ovop",
    "PrivateTmp": "true",
    "NoNewPrivileges": "true",
}
SCHEDULES = {
    "ovop-reminders": ("send_deadline_reminders", "*-*-* 07:00:00 Asia/Makassar"),
    "ovop-certificate-expiry": ("send_certificate_expiry", "Mon *-*-* 07:30:00 Asia/Makassar"),
    "ovop-backup": ("-m ovop backup", "*-*-* 02:00:00 Asia/Makassar"),
}


def read_unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


@pytest.mark.parametrize("name", sorted(path.name for path in UNITS.glob("*.service")))
def test_service_unit_is_hardened_and_reads_the_env_file(name):
    service = read_unit(UNITS / name)["Service"]
    for key, value in HARDENING.items():
        assert service[key] == value, key
    assert service["ExecStart"].startswith("/opt/ovop/.venv/bin/")


def test_web_and_worker_units_run_gunicorn_and_the_task_worker():
    web = read_unit(UNITS / "ovop.service")
    assert "gunicorn --config /opt/ovop/deploy/gunicorn.conf.py" in web["Service"]["ExecStart"]
    assert web["Install"]["WantedBy"] == "multi-user.target"
    worker = read_unit(UNITS / "ovop-worker.service")
    assert "-m ovop db_worker" in worker["Service"]["ExecStart"]
    assert worker["Service"]["Restart"] == "always"


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_each_scheduled_command_has_a_timer(name):
    command, calendar = SCHEDULES[name]
    service = read_unit(UNITS / f"{name}.service")["Service"]
    assert service["Type"] == "oneshot"
    assert command in service["ExecStart"]
    timer = read_unit(UNITS / f"{name}.timer")
    assert timer["Timer"]["OnCalendar"] == calendar
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    # verify checks that ExecStart exists: point the units at this virtualenv.
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/opt/ovop/.venv", str(VENV))
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(path) for path in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 0, problems
    assert problems == [], problems


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_nginx_site_passes_nginx_t(tmp_path):
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=ovop.example.go.id",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx" / "ovop.conf").read_text()
    site = site.replace(
        "/etc/letsencrypt/live/ovop.example.go.id/fullchain.pem", str(tmp_path / "cert.pem")
    )
    site = site.replace(
        "/etc/letsencrypt/live/ovop.example.go.id/privkey.pem", str(tmp_path / "key.pem")
    )
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n"
        f"  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_serves_only_static_files_and_accepts_the_largest_upload():
    site = (DEPLOY / "nginx" / "ovop.conf").read_text()
    directives = [line.split("#")[0].strip() for line in site.splitlines()]
    aliases = [line for line in directives if line.startswith(("alias ", "root "))]
    assert aliases == ["root /var/www/letsencrypt;", "alias /var/lib/ovop/static/;"]
    [size] = re.findall(r"^client_max_body_size (\d+)m;$", "\n".join(directives), re.M)
    largest = max(MAX_WORKBOOK_BYTES, settings.OVOP_MAX_PDF_BYTES, settings.OVOP_MAX_PHOTO_BYTES)
    assert int(size) * 1024 * 1024 > largest
    assert "return 301 https://$host$request_uri;" in directives
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives


def test_install_script_is_valid_bash():
    result = subprocess.run(["bash", "-n", str(DEPLOY / "install.sh")], capture_output=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck is not installed")
def test_install_script_passes_shellcheck():
    result = subprocess.run(
        ["shellcheck", str(DEPLOY / "install.sh")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout


def test_install_script_dry_run_prints_every_step_and_changes_nothing(tmp_path):
    env_file_existed = Path("/etc/ovop/ovop.env").exists()
    result = subprocess.run(
        ["bash", str(DEPLOY / "install.sh"), "--dry-run", "--domain", "ovop.test.go.id"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "apt-get install",
        "libpango-1.0-0",
        "createdb",
        "make -C",
        "-m ovop migrate --noinput",
        "-m ovop load_regions",
        "-m ovop collectstatic --noinput",
        "systemctl enable ovop.service",
        "ovop-worker.service",
        "ovop-backup.timer",
        "nginx -t",
    ):
        assert step in out, step
    assert "SECRET_KEY=" not in out  # the generated secret is never printed
    assert Path("/etc/ovop/ovop.env").exists() == env_file_existed


def test_env_example_lists_every_documented_setting():
    readme = (ROOT / "README.md").read_text()
    documented = set()
    for row in re.findall(r"^\| (`[A-Z_]+`.*?) \|", readme, re.M):  # the Configuration table
        documented |= set(re.findall(r"`([A-Z][A-Z_]+)`", row))
    deployment_block = (
        (ROOT / "src" / "ovop" / "settings.py").read_text().split("# Deployment (issue 8)")[1]
    )
    documented |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', deployment_block))
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text()
    documented |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', gunicorn))
    example = (DEPLOY / "ovop.env.example").read_text()
    listed = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    assert {"DATABASE_URL", "OVOP_S3_BUCKET", "OVOP_TASKS_BACKEND"} <= documented
    assert documented - listed == set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict[str, str]:
    """Production settings on a migrated SQLite database of their own."""
    var = tmp_path_factory.mktemp("var")
    environment = {k: v for k, v in os.environ.items() if k not in LEAKY}
    environment.update(
        DJANGO_SETTINGS_MODULE="ovop.settings",
        SECRET_KEY="g" * 50,
        OVOP_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'ovop.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        OVOP_LOG_FORMAT="json",
        OVOP_WORKERS="1",
    )
    migrate = subprocess.run(
        [sys.executable, "-m", "ovop", "migrate", "--noinput", "-v", "0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    return environment


def test_worker_sends_queued_notification_emails(production):
    environment = {**production, "OVOP_TASKS_BACKEND": "database", "EMAIL_HOST": ""}
    enqueue = (
        "import django; django.setup()\n"
        "from ovop.notifications.tasks import send_notification_emails\n"
        "send_notification_emails.enqueue(emails=[{'subject': 'Antrean', "
        "'body': 'Isi surel', 'to': 'operator@example.go.id'}])\n"
    )
    queued = subprocess.run(
        [sys.executable, "-c", enqueue],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert queued.returncode == 0, queued.stderr
    assert "Isi surel" not in queued.stdout  # queued, not sent
    # The console mail backend prints what the worker sends.
    worker = subprocess.run(
        [sys.executable, "-m", "ovop", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    assert "To: operator@example.go.id" in worker.stdout
    assert "Isi surel" in worker.stdout


def test_gunicorn_serves_the_health_endpoint_with_the_deploy_config(production, tmp_path):
    gunicorn = VENV / "bin" / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in this virtualenv")
    environment = dict(production)
    port = free_port()
    environment["OVOP_BIND"] = f"127.0.0.1:{port}"
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(gunicorn), "--config", str(DEPLOY / "gunicorn.conf.py")],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        status, body, request_id = None, b"", None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz/", headers={"X-Request-ID": "probe-1"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    status, body = response.status, response.read()
                    request_id = response.headers["X-Request-ID"]
                break
            except OSError:
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "gunicorn.log").read_text()
    assert status == 200, output
    assert b'"database": "ok"' in body
    assert request_id == "probe-1"
    access = [line for line in output.splitlines() if '"gunicorn.access"' in line]
    assert access
    assert '"request_id": "probe-1"' in access[0]
    assert '"status": 200' in access[0]
