#!/usr/bin/env python
"""Django's command-line utility for this project."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apiproject.settings")
    from django.core.management import execute_from_command_line

    from apiproject.config import stop_on_configuration_error

    # Around the whole command, not an import of the settings: Django loads them lazily (and swallows
    # the first failure), and `--settings` must be read before they are.
    with stop_on_configuration_error():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
