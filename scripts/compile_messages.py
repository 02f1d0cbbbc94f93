"""Compile every locale/*/LC_MESSAGES/*.po to .mo in pure Python.

Django's `compilemessages` needs GNU gettext's msgfmt; this needs only polib, so the
README's setup works on a machine without gettext. Run by `make run` / `make test`.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)} ({po.percent_translated()}% translated)")


if __name__ == "__main__":
    main()
