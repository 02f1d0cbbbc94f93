"""The systemd units in deploy/systemd/ run what the docs say, with production settings."""

from __future__ import annotations

import shlex
from collections import defaultdict
from pathlib import Path

import pytest

from tests.servers import ROOT

UNITS = ROOT / "deploy" / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))
PRODUCTION = "DJANGO_SETTINGS_MODULE=config.settings.production"


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file as {section: {key: [values in order]}}: keys such as ExecStart and
    Environment may repeat, which configparser does not allow."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    section = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, separator, value = line.partition("=")
        assert separator and section, f"{path.name}: cannot read {raw!r}"
        sections[section][key.strip()].append(value.strip())
    return sections


def commands(unit: dict) -> list[list[str]]:
    """The ExecStart command lines, split as systemd splits them (without the prefixes
    such as "-" that only change how a failure counts)."""
    return [shlex.split(line.lstrip("-@:+!")) for line in unit["Service"]["ExecStart"]]


def environment(unit: dict) -> list[str]:
    return [item for line in unit["Service"]["Environment"] for item in shlex.split(line)]


def runs_django(command: list[str]) -> bool:
    program = Path(command[0]).name
    return program == "gunicorn" or "manage.py" in command


def test_there_are_units_to_check():
    assert {path.name for path in SERVICES} >= {
        "bijeen-web.service",
        "bijeen-worker.service",
        "bijeen-housekeeping.service",
        "bijeen-reminders.service",
    }


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_every_unit_that_runs_django_sets_the_production_settings_itself(path):
    """manage.py defaults to the local settings (DEBUG, a SQLite file): a unit must not
    depend on the environment file to say otherwise."""
    unit = parse(path)
    assert any(runs_django(command) for command in commands(unit)), path.name
    assert PRODUCTION in environment(unit), path.name


def test_housekeeping_purges_personal_data_first():
    """The retention the privacy statement promises; first, so that a failing clean-up of
    task rows or sessions cannot keep it from running."""
    unit = parse(UNITS / "bijeen-housekeeping.service")
    assert unit["Service"]["Type"] == ["oneshot"]
    managed = [command[command.index("manage.py") + 1] for command in commands(unit)]
    assert managed[0] == "purge_personal_data"
    assert set(managed) == {"purge_personal_data", "prune_db_task_results", "clearsessions"}


def test_the_timer_starts_housekeeping_daily():
    timer = parse(UNITS / "bijeen-housekeeping.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 03:30:00"]
    assert timer["Timer"]["Persistent"] == ["true"]


def test_the_reminders_are_queued_every_five_minutes():
    """docs/deploy.md: `manage.py send_reminders` from a timer; safe on several machines."""
    unit = parse(UNITS / "bijeen-reminders.service")
    assert unit["Service"]["Type"] == ["oneshot"]
    [command] = commands(unit)
    assert command[command.index("manage.py") + 1 :] == ["send_reminders"]
    timer = parse(UNITS / "bijeen-reminders.timer")
    assert timer["Timer"]["OnCalendar"] == ["*:0/5"]
    assert timer["Timer"]["Persistent"] == ["true"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]
