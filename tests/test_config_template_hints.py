"""A first-day user's three dead ends, each run through the real CLI on a throw-away project.

``greeter check`` where there is only ``config.example.yaml`` (no word on how
to start), a setting indented under the wrong section (the allowed keys of
the section it landed in, not where it belongs), and a Jinja block left
unclosed (the line Jinja stumbled on, never the line that opened the block).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, MakeProject, contact_row
from tests.faults import greeter

ROWS = [contact_row("1", "a@example.com", birthday="07.01.1960")]


def greeter_here(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI run in ``folder`` with no ``--config`` and no ``$GREETER_CONFIG``: the default path."""
    env = {k: v for k, v in os.environ.items() if k != "GREETER_CONFIG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "greeter", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=folder,
        check=False,
    )


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once in a file; the line ``new`` starts on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def insert_line(path: Path, number: int, line: str) -> None:
    """Insert ``line`` so that it becomes line ``number`` (1-based) of the file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(number - 1, line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- 1. no greeter.yaml yet


def test_default_config_missing_next_to_the_example_says_how_to_start(tmp_path: Path) -> None:
    shutil.copy(ROOT / "config.example.yaml", tmp_path / "config.example.yaml")
    result = greeter_here(tmp_path, "check")
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("greeter.yaml: config file not found"), line
    assert "--config FILE" in line and "cp config.example.yaml greeter.yaml" in line, line


def test_default_config_missing_without_an_example_names_only_the_flag(tmp_path: Path) -> None:
    result = greeter_here(tmp_path, "check")
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("greeter.yaml: config file not found"), line
    assert "--config FILE" in line and "config.example.yaml" not in line, line


def test_an_explicit_config_missing_gets_no_start_hint(tmp_path: Path) -> None:
    """``--config prod.yaml`` names the file meant: a typo in it is not a first day."""
    shutil.copy(ROOT / "config.example.yaml", tmp_path / "config.example.yaml")
    result = greeter(tmp_path / "prod.yaml", "check")
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'prod.yaml'}: config file not found"


# ---------------------------------------------------------------- 2. a setting in the wrong section


def config_problems(config: Path) -> list[str]:
    result = greeter(config, "check")
    assert result.returncode == 2, result.stdout + result.stderr
    return [line.replace(str(config), config.name, 1) for line in result.stderr.splitlines()]


def test_a_top_level_setting_indented_under_a_section_is_told_to_un_indent(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    line = edit(config, "\ncatch_up_days: 3", "\n  catch_up_days: 3")
    assert config_problems(config) == [
        f"greeter.yaml:{line + 1}:3: send_window.catch_up_days: `catch_up_days` is a top-level setting, "
        "not part of `send_window:`: un-indent it to line up with `send_window:`"
    ]


def test_a_setting_indented_into_a_subsection_is_sent_back_to_its_own(make_project: MakeProject) -> None:
    """An occasion's ``days_before`` indented under its ``audience:``: the occasion's, not the top level's."""
    config = make_project(ROWS)
    line = edit(config, "\n    round_years: 5", "\n    days_before: 2\n    round_years: 5") + 1
    assert config_problems(config) == [
        f"greeter.yaml:{line}:5: occasions.1.audience.days_before: `days_before` is a setting of "
        "`occasions.1`, not of `occasions.1.audience`: un-indent it to line up with `audience:`"
    ]


def test_a_top_level_setting_also_indented_under_a_section_is_said_to_be_there_twice(
    make_project: MakeProject,
) -> None:
    config = make_project(ROWS)
    line = edit(config, "\n  day_off_policy:", "\n  catch_up_days: 5\n  day_off_policy:") + 1
    top = config.read_text(encoding="utf-8").splitlines().index("catch_up_days: 3") + 1
    assert config_problems(config) == [
        f"greeter.yaml:{line}:3: send_window.catch_up_days: `catch_up_days` is a top-level setting, "
        f"not part of `send_window:`, and is set there already (line {top}): keep one of the two"
    ]


def test_a_setting_under_a_wrong_sibling_section_names_its_own(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    line = edit(config, "\n  day_off_policy:", "\n  max_count: 2\n  day_off_policy:") + 1
    assert config_problems(config) == [
        f"greeter.yaml:{line}:3: send_window.max_count: belongs under `frequency_cap:`, "
        "not under `send_window:` (move it there)"
    ]


def test_a_setting_outdented_two_levels_names_the_section_it_belongs_under(make_project: MakeProject) -> None:
    """``pool_size`` outdented from ``delivery: smtp:`` to the top level (one level was already handled)."""
    config = make_project(ROWS)
    with config.open("a", encoding="utf-8") as fh:
        fh.write("pool_size: 2\n")
    line = len(config.read_text(encoding="utf-8").splitlines())
    assert config_problems(config) == [
        f"greeter.yaml:{line}:1: pool_size: belongs under `delivery.smtp:` (indent it below `smtp:` in `delivery:`)"
    ]


def test_a_top_level_setting_outdented_from_its_section_is_still_sent_under_it(
    make_project: MakeProject,
) -> None:
    """Already handled before: kept as it was."""
    config = make_project(ROWS)
    line = edit(config, "\n  day_off_policy:", "\nday_off_policy:") + 1
    assert config_problems(config) == [
        f"greeter.yaml:{line}:1: day_off_policy: belongs under `send_window:` (indent it below `send_window:`)"
    ]


# ---------------------------------------------------------------- 3. a Jinja block never closed


def template_errors(config: Path) -> list[str]:
    result = greeter(config, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    return [line for line in result.stderr.splitlines() if " syntax error: " in line]


def test_an_if_left_open_inside_another_names_both_lines_it_may_be(make_project: MakeProject) -> None:
    """The user's case: line 20 opened an ``if`` inside ``{% if belated %}`` and never closed it.

    Jinja pairs the next ``endif`` with line 20's ``if``, so the one it finds
    open at ``endblock`` is line 19's: either may be the one to close.
    """
    config = make_project(ROWS)
    template = config.parent / "templates" / "birthday.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    assert lines[18] == "{% if belated %}", lines[18]  # line 19
    insert_line(template, 20, "{% if years > 50 %}Юбилей!")
    (error,) = template_errors(config)
    assert error.startswith("birthday.j2:"), error
    assert "The innermost block that needs to be closed is 'if'." in error
    assert error.endswith(
        "(the 'if' opened at line 19 or the one at line 20 is not closed: an endif closes the nearest 'if' still open)"
    ), error


def test_an_if_left_open_alone_names_its_line(make_project: MakeProject) -> None:
    """Comments, raw text and one-line ifs hold no block Jinja has to close: the lexer skips them."""
    config = make_project(ROWS)
    template = config.parent / "templates" / "birthday.j2"
    line = edit(
        template,
        "{% block message %}\n",
        "{% block message %}\n{# {% if never %} #}{% raw %}{% if raw %}{% endraw %}{% if a %}x{% endif %}"
        "{% set title = 1 %}\n{% if years > 50 %}Юбилей!\n",
    )
    (error,) = template_errors(config)
    assert error.endswith(
        f"The innermost block that needs to be closed is 'if'. ('if' opened at line {line + 2} is not closed)"
    ), error


def test_a_block_left_open_at_the_end_of_the_file_names_its_line(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    template = config.parent / "templates" / "birthday.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text + "{% block extra %}\n{% for x in [1] %}{{ x }}{% endfor %}\n", encoding="utf-8")
    line = text.count("\n") + 1
    (error,) = template_errors(config)
    assert "Unexpected end of template." in error, error
    assert error.endswith(f"('block' opened at line {line} is not closed)"), error
