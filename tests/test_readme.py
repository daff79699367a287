"""The README's commands for one's own machine work as written, with no secret set."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(name):
    """The README's indented line that runs `manage.py name`, split as a shell would."""
    line = next(
        line.strip()
        for line in README.splitlines()
        if line.startswith("    ") and f"manage.py {name}" in line
    )
    return shlex.split(line)


def run_as_written(words, database, *extra, **env):
    settings, command = [], list(words)
    while "=" in command[0]:
        settings.append(command.pop(0))
    assert command[0] == ".venv/bin/python"
    environ = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environ.update(dict(setting.split("=", 1) for setting in settings))
    environ.update(DATABASE_URL=f"sqlite:///{database}", **env)
    return subprocess.run(
        [sys.executable, *command[1:], *extra],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readmes_createsuperuser_runs_after_make_run(published_database):
    made = run_as_written(
        readme_command("createsuperuser"),
        published_database,
        "--noinput",
        "--username=admin",
        "--email=admin@example.jp",
        DJANGO_SUPERUSER_PASSWORD="a-long-pass-phrase",
    )

    assert made.returncode == 0, made.stderr
    assert re.search(r"Superuser created", made.stdout)


def test_the_readmes_export_command_runs_without_a_secret(published_database):
    words = readme_command("export_directory")
    words = words[: words.index("export_directory") + 1]  # the prefix as written; then arguments

    exported = run_as_written(words, published_database, "cities", "--format", "csv")

    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.lstrip("\ufeff").split(",")[0] == "code"


def test_the_readmes_municipalities_command_runs_twice_without_a_secret(published_database):
    words = readme_command("load_municipalities")

    first = run_as_written(words, published_database)
    again = run_as_written(words, published_database, "--if-empty")

    assert first.returncode == 0, first.stderr
    assert re.search(r"^\d{4} municipalities created, 0 updated", first.stdout)
    assert "already loaded" in again.stdout
