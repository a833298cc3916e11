"""bench/loadtest/front.py: the shipped nginx site in front of several gunicorn instances."""

import shutil
import subprocess

import pytest

from bench.loadtest import front


def rendered(tmp_path) -> str:
    return front.site(
        app_ports=[18001, 18002],
        http_port=18080,
        https_port=18443,
        work=tmp_path,
        static=tmp_path / "static",
    )


def test_the_site_lists_every_instance_in_the_shipped_upstream(tmp_path):
    site = rendered(tmp_path)

    assert "server 127.0.0.1:18001 fail_timeout=0;" in site
    assert "server 127.0.0.1:18002 fail_timeout=0;" in site
    assert "127.0.0.1:8000" not in site
    assert "listen 127.0.0.1:18443 ssl;" in site
    assert "listen [::]" not in site
    assert str(tmp_path / "tls.crt") in site
    assert f"alias {tmp_path / 'static'}/;" in site
    # What the shipped site does stays: HTTPS only, the proxy headers, private uploads.
    assert "return 301 https://$host$request_uri;" in site
    assert "proxy_pass http://ovop_app;" in site


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_rendered_site(tmp_path):
    front.make_certificate(tmp_path, openssl=shutil.which("openssl") or "openssl")
    (tmp_path / "ovop.conf").write_text(rendered(tmp_path))
    (tmp_path / "nginx.conf").write_text(front.main_config(tmp_path))

    checked = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )

    assert checked.returncode == 0, checked.stderr
