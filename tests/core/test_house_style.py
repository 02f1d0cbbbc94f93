"""The house style: design tokens in three layers, the contrast check that guards them, and
/huisstijl.css (issue 18)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from core import theme
from tests.themes import GROENWAARD

WHITE, BLACK = (255, 255, 255), (0, 0, 0)


def check_output(**settings) -> str:
    """``manage.py check`` with ``settings``: its report, or the SystemCheckError's."""
    with override_settings(**settings):
        try:
            call_command("check")
        except SystemCheckError as error:
            return str(error)
    return "no errors"


# --- Contrast arithmetic ---------------------------------------------------------------


def test_contrast_ratio_is_wcags():
    assert theme.contrast_ratio(BLACK, WHITE) == pytest.approx(21)
    assert theme.contrast_ratio(WHITE, WHITE) == pytest.approx(1)
    # WCAG's own borderline examples: #767676 passes 4.5:1 on white, #777777 does not.
    assert theme.contrast_ratio(theme.parse_hex("#767676"), WHITE) >= 4.5
    assert theme.contrast_ratio(theme.parse_hex("#777777"), WHITE) < 4.5


def test_a_ratio_just_short_is_never_shown_as_enough():
    assert theme.shown(4.4999) == "4.4:1"
    assert theme.shown(3.26) == "3.2:1"


@pytest.mark.parametrize(
    ("value", "rgb"),
    [("#1a4f7a", (26, 79, 122)), ("#FFF", WHITE), (" #000000 ", BLACK)],
)
def test_hex_colours_are_read(value, rgb):
    assert theme.parse_hex(value) == rgb


@pytest.mark.parametrize("value", ["red", "rgb(0,0,0)", "#12345", "1a4f7a", "", "#1a4f7a;}"])
def test_anything_else_is_no_colour(value):
    assert theme.parse_hex(value) is None


def test_tokens_come_from_root_blocks_with_var_references_followed():
    css = """
    /* --bijeen-color-text: #ff0000; in a comment does not count */
    :root { --bijeen-color-primary: #1a4f7a;
            --bijeen-color-header-bg: var(--bijeen-color-primary); }
    .page-header { --bijeen-color-bg: #000000; }
    :root { --bijeen-color-bg: #ffffff }
    """
    tokens = theme.tokens_in_css(css)
    assert tokens == {
        "--bijeen-color-primary": "#1a4f7a",
        "--bijeen-color-header-bg": "var(--bijeen-color-primary)",
        "--bijeen-color-bg": "#ffffff",
    }
    assert theme.resolve(tokens, "--bijeen-color-header-bg") == "#1a4f7a"
    assert theme.resolve({"--a": "var(--a)"}, "--a") is None  # a cycle is no colour
    assert theme.resolve({"--a": "var(--b, #fff)"}, "--a") == "#fff"


def test_the_default_tokens_pass_every_pair():
    problems, unreadable = theme.contrast_problems(theme.effective_tokens())
    assert problems == []
    assert unreadable == []


def test_the_old_one_colour_focus_ring_would_fail_on_white():
    """The yellow ring alone (as before issue 18) is 1.6:1 on white; the dark inner ring
    beside it is what makes the indicator visible there (WCAG technique C40)."""
    tokens = {**theme.effective_tokens(), "--bijeen-color-focus-contrast": "#ffbf47"}
    problems, _ = theme.contrast_problems(tokens)
    assert any(
        p.where == "the focus ring on the page background" and "1.6:1" in p.detail for p in problems
    )


# --- manage.py check -----------------------------------------------------------------


def test_check_passes_for_the_default_look():
    assert check_output() == "no errors"


def test_check_fails_for_a_brand_colour_too_light_for_white_text():
    report = check_output(BIJEEN_BRAND_COLOR="#f0a500")  # orange: white text on it is 2.0:1
    assert "bijeen.E001" in report
    assert "button text on the primary colour" in report
    assert (
        "--bijeen-color-primary-text #ffffff on --bijeen-color-primary #f0a500 is 2.0:1" in report
    )
    assert "needs 4.5:1" in report
    # The same colour as link text on white is too light as well.
    assert "links on the page background" in report


def test_check_passes_when_the_text_on_a_light_brand_colour_is_dark():
    report = check_output(BIJEEN_BRAND_COLOR="#ffd400", BIJEEN_BRAND_TEXT_COLOR="#1c1c1c")
    # Dark text on yellow is fine; yellow links on white are not.
    assert "button text on the primary colour:" not in report
    assert "links on the page background: --bijeen-color-primary #ffd400" in report


def test_check_reports_a_colour_setting_that_is_no_colour():
    report = check_output(BIJEEN_BRAND_COLOR="blue; } body { display: none")
    assert "bijeen.E002" in report
    assert "BIJEEN_BRAND_COLOR" in report


def test_check_reports_a_tokens_file_or_logo_that_is_not_there():
    report = check_output(BIJEEN_THEME_CSS="themes/nergens/tokens.css", BIJEEN_LOGO="nergens.svg")
    assert report.count("bijeen.E003") == 2


def test_check_reads_the_tokens_file(tmp_path, settings):
    """A tokens file with a pale link colour fails; the check names the file's token."""
    folder = tmp_path / "huisstijl"
    folder.mkdir()
    (folder / "tokens.css").write_text(":root { --bijeen-color-primary: #8fb3d9; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("huisstijl", str(folder))]
    report = check_output(BIJEEN_THEME_CSS="huisstijl/tokens.css")
    assert "links on the page background: --bijeen-color-primary #8fb3d9 on" in report


def test_check_passes_for_the_second_demo_theme():
    assert check_output(**GROENWAARD) == "no errors"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BIJEEN_ACCESSIBILITY_STATUS", "F"),
        ("BIJEEN_ACCESSIBILITY_STATEMENT_DATE", "1-3-2026"),
        ("BIJEEN_ACCESSIBILITY_EVALUATION_DATE", "2026-13-01"),
    ],
)
def test_check_reports_statement_settings_the_page_cannot_show(name, value):
    report = check_output(**{name: value})
    assert "bijeen.E004" in report
    assert name in report


def test_deploy_check_warns_while_the_organisation_is_the_example(capsys):
    call_command("check", "--deploy", "--tag", "bijeen")
    out = capsys.readouterr()
    report = out.out + out.err
    assert "bijeen.W002" in report
    assert "BIJEEN_DPO_CONTACT" in report
    assert "bijeen.W003" in report  # no signed accessibility statement yet


def test_deploy_check_is_quiet_for_a_filled_in_organisation(capsys):
    with override_settings(**GROENWAARD):
        call_command("check", "--deploy", "--tag", "bijeen")
    out = capsys.readouterr()
    assert "bijeen.W" not in out.out + out.err


# --- /huisstijl.css --------------------------------------------------------------------


def test_without_a_brand_colour_there_is_no_extra_stylesheet(client, db):
    html = client.get("/").content.decode()
    assert "/huisstijl.css" not in html
    assert client.get("/huisstijl.css").status_code == 404


@override_settings(BIJEEN_BRAND_COLOR="#1D6B3A")
def test_a_brand_colour_is_served_as_tokens_and_linked_with_its_version(client, db):
    _css, version = theme.brand_css()
    html = client.get("/").content.decode()
    assert f'<link rel="stylesheet" href="/huisstijl.css?v={version}">' in html
    assert "<style" not in html  # the CSP allows no inline style

    response = client.get(f"/huisstijl.css?v={version}")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    body = response.content.decode()
    assert "--bijeen-color-primary: #1d6b3a;" in body
    assert "--bijeen-color-primary-hover: #16502c;" in body  # 25 % darker
    # An old version's address is answered too, but only cached briefly.
    assert client.get("/huisstijl.css?v=old")["Cache-Control"] == "public, max-age=300"


@override_settings(BIJEEN_BRAND_COLOR="red; } body { display: none")
def test_a_colour_setting_that_is_no_colour_never_reaches_the_css(client, db):
    assert client.get("/huisstijl.css").status_code == 404


@override_settings(BIJEEN_THEME_CSS="themes/groenwaard/tokens.css")
def test_the_tokens_file_is_linked_after_the_site_css(client, db):
    html = client.get("/").content.decode()
    site = html.index('href="/static/css/bijeen.css"')
    tokens = html.index('href="/static/themes/groenwaard/tokens.css"')
    assert site < tokens
