""":mod:`greeter.config_watch`: what counts as a changed config or template, and when it has settled."""

from __future__ import annotations

import os
from pathlib import Path

from greeter.config_watch import ConfigWatch, fingerprint


def test_a_link_swap_an_in_place_write_and_a_new_template_each_change_the_fingerprint(tmp_path: Path) -> None:
    for version in ("..v1", "..v2"):
        (tmp_path / version / "templates").mkdir(parents=True)
        (tmp_path / version / "greeter.yaml").write_text("cron: x\n", encoding="utf-8")  # the same text
        (tmp_path / version / "templates" / "birthday.j2").write_text("Hi\n", encoding="utf-8")
    (tmp_path / "..data").symlink_to("..v1")
    config, templates = tmp_path / "greeter.yaml", tmp_path / "templates"
    config.symlink_to("..data/greeter.yaml")
    templates.symlink_to("..data/templates")
    first = fingerprint(config, templates)
    assert fingerprint(config, templates) == first  # looking changes nothing
    (tmp_path / "..tmp").symlink_to("..v2")
    os.replace(tmp_path / "..tmp", tmp_path / "..data")
    swapped = fingerprint(config, templates)
    assert swapped[0] != first[0] and swapped[1] != first[1]
    (tmp_path / "..v2" / "templates" / "_layout.j2").write_text("{{ x }}\n", encoding="utf-8")
    (tmp_path / "..v2" / "templates" / ".birthday.j2.swp").write_text("editor\n", encoding="utf-8")
    added = fingerprint(config, templates)
    assert [name for name, _ in added[1]] == ["_layout.j2", "birthday.j2"]
    (tmp_path / "..v2" / "greeter.yaml").write_text("cron: y, longer\n", encoding="utf-8")
    assert fingerprint(config, templates)[0] != added[0]
    os.unlink(tmp_path / "..v2" / "greeter.yaml")
    assert len(fingerprint(config, templates)[0]) == 1  # missing: its path only, a change too


def test_a_change_counts_once_two_looks_see_it_and_a_refused_one_is_not_counted_again(tmp_path: Path) -> None:
    a, b, c = ((("x", i, 1, 1, 1), ()) for i in range(3))
    watch = ConfigWatch(a)
    assert [watch.changed(a), watch.changed(b), watch.changed(c), watch.changed(c)] == [
        False,
        False,
        False,
        True,
    ]
    watch.taken(c)  # reloaded (or refused) from these files
    assert [watch.changed(c), watch.changed(c)] == [False, False]
    assert [watch.changed(b), watch.changed(a), watch.changed(a)] == [False, False, True]
