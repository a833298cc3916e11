"""collectstatic as a deployment runs it: production settings, hashed and compressed files.

The suite itself serves plain static files (OVOP_PLAIN_STATIC), so without this test a
vendored file that names a missing source map or image would only fail on the server.
"""

import json
import os
import subprocess
import sys


def test_collectstatic_builds_hashed_compressed_files_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "OVOP_PLAIN_STATIC", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "ovop.settings",
        "SECRET_KEY": "collectstatic-test-" + "k" * 40,
        "STATIC_ROOT": str(tmp_path / "static"),
        "OVOP_VAR_DIR": str(tmp_path / "var"),
    }

    result = subprocess.run(
        [sys.executable, "-m", "ovop", "collectstatic", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "static/staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/chartjs/chart.umd.min.js",
        "vendor/chartjs/chart.umd.min.js.map",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/pico/pico.min.css",
        "vendor/htmx/htmx.min.js",
    ):
        hashed = tmp_path / "static" / manifest[name]
        assert hashed.name != name.rsplit("/", 1)[-1], f"{name} was not given a hashed name"
        assert hashed.is_file()
        assert hashed.with_name(hashed.name + ".gz").is_file(), f"{name} was not compressed"
    # The hashed script names its hashed source map, so the browser finds it.
    chart = (tmp_path / "static" / manifest["vendor/chartjs/chart.umd.min.js"]).read_text()
    map_name = manifest["vendor/chartjs/chart.umd.min.js.map"].rsplit("/", 1)[-1]
    assert chart.rstrip().endswith(f"//# sourceMappingURL={map_name}")
