"""`python -m ovop <command>` is the project's manage.py."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
    execute_from_command_line([sys.argv[0].replace("__main__.py", "ovop"), *sys.argv[1:]])


if __name__ == "__main__":
    main()
