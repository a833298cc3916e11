"""Create the project's virtual environment with nothing but the Python standard library.

Debian's python3 may lack ensurepip (package python3-venv); then the venv is made without
pip and pip is fetched from PyPI as a wheel and installed into it.
"""

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def main(target: str) -> None:
    path = Path(target)
    try:
        venv.EnvBuilder(with_pip=True).create(path)
        return
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"venv with pip failed ({error}); installing pip from PyPI instead.")
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:  # noqa: S310
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as folder:
        wheel_path = Path(folder) / wheel["filename"]
        urllib.request.urlretrieve(wheel["url"], wheel_path)  # noqa: S310
        python = path / "bin" / "python"
        subprocess.check_call([str(python), f"{wheel_path}/pip", "install", "-q", str(wheel_path)])  # noqa: S603


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
