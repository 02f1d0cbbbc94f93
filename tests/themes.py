"""The second demo municipality (deploy/themes/groenwaard.env) as Django settings, for
tests that run the site as that municipality."""

from __future__ import annotations

import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROENWAARD_ENV = ROOT / "deploy" / "themes" / "groenwaard.env"


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY="value"`` lines as a shell reads them (comments and blank lines skipped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = " ".join(shlex.split(value))
    return values


def as_settings(env: dict[str, str]) -> dict:
    """The settings config/settings/base.py makes of these variables."""
    settings: dict = dict(env)
    if "BIJEEN_ORGANISATION_ADDRESS" in settings:
        settings["BIJEEN_ORGANISATION_ADDRESS"] = settings["BIJEEN_ORGANISATION_ADDRESS"].split(",")
    return settings


GROENWAARD_VARIABLES = read_env_file(GROENWAARD_ENV)
GROENWAARD = as_settings(GROENWAARD_VARIABLES)
