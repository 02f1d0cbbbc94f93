"""The documentation: every relative link and image points to something that exists, and
the README stays short. No database, no network: files on disk only."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 150

# [text](target) and ![alt](target), with an optional "title"; <img ... src="target">.
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
EXTERNAL = ("http://", "https://", "mailto:")


def documentation_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def link_targets(text: str) -> list[str]:
    """Relative link and image targets in Markdown ``text``, outside code."""
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    targets = MARKDOWN_LINK.findall(prose) + IMG_SRC.findall(prose)
    return [t for t in targets if not t.startswith(EXTERNAL) and not t.startswith("#")]


def broken_links(files: list[Path]) -> list[str]:
    broken = []
    for file in files:
        for target in link_targets(file.read_text(encoding="utf-8")):
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not (file.parent / path).exists():
                name = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file.name
                broken.append(f"{name}: {target}")
    return broken


def test_every_relative_link_and_image_in_the_docs_exists():
    files = documentation_files()
    assert len(files) > 1, "README.md and docs/*.md should be found"
    broken = broken_links(files)
    assert not broken, "links to files that do not exist:\n" + "\n".join(broken)


def test_the_link_check_finds_links_of_every_kind(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "here.md").write_text("", encoding="utf-8")
    page.write_text(
        "[ok](here.md#part) [gone](gone.md) ![pic](missing.png)\n"
        '<img src="nope.png" width="200"> [web](https://example.org/x) [top](#top)\n'
        "`[code](in-code.md)`\n```\n[fenced](in-fence.md)\n```\n",
        encoding="utf-8",
    )
    found = broken_links([page])
    assert [line.split(": ", 1)[1] for line in found] == ["gone.md", "missing.png", "nope.png"]


def test_the_readme_has_at_most_150_lines():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"
