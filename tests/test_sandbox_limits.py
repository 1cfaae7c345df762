"""Templates cannot exhaust greeter's memory or time: the penetration test's payloads, through real renders.

Each payload is a template rendered by the real :class:`~greeter.render.Renderer`
(and some through ``greeter preview``/``check``, the daemon's start-up render
test and a forked build worker), and must come back quickly as that
template's render error, naming the file and the contact, the next contact
still rendering. On the commit before the limits, the size payloads built
0.4–1 GB strings (or ran for minutes) and the loops never ended.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from greeter import template_limits
from greeter.errors import ConfigError, TemplateError
from greeter.render import TIMEOUTS_IN_A_ROW, Renderer
from tests.test_bad_inputs import PREVIEW, greeter, greeter_in_process, project
from tests.test_render import item, person, write

#: A render budget short enough for tests; the real one is template_limits.RENDER_SECONDS.
BUDGET = 0.3
#: What a refused size says (the words of the '*' cap the sandbox always had).
TOO_LONG = "would build a sequence longer than 100,000"
#: Longer than any refusal below takes with the limits (all but the loops take milliseconds).
QUICK = 10.0

DOUBLING = "{% set ns = namespace(x='a') %}{% for i in range(40) %}{% set ns.x = ns.x OP ns.x %}{% endfor %}"
NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"

SIZES = [
    ("{{ ('%0400000000d' % 1)|length }}", "'%' " + TOO_LONG),
    ("{{ '%0999999999d'|format(1) }}", "|format " + TOO_LONG),
    ("{{ 'a'|center(999999999) }}", "|center " + TOO_LONG),
    ("{{ 'a'|indent(999999999, true) }}", "|indent " + TOO_LONG),
    ("{{ '{0:>999999999}'.format(1) }}", "format() " + TOO_LONG),
    ("{{ '{x:>999999999}'.format_map({'x': 1}) }}", "format() " + TOO_LONG),
    ("{{ '{:{}}'.format(1, 999999999) }}", "format() " + TOO_LONG),
    ("{{ '%*d' % (999999999, 1) }}", "'%' " + TOO_LONG),
    ("{{ '%.999999999f' % 1.0 }}", "'%' " + TOO_LONG),
    ("{{ 'a'.ljust(999999999) }}", "ljust() " + TOO_LONG),
    ("{{ 'a'.rjust(999999999) }}", "rjust() " + TOO_LONG),
    ("{{ 'a'.center(999999999) }}", "center() " + TOO_LONG),
    ("{{ 'a'.zfill(999999999) }}", "zfill() " + TOO_LONG),
    ("{{ ('\\t' * 10000).expandtabs(999999) }}", "expandtabs() " + TOO_LONG),
    ("{{ ('a' * 100000).replace('a', 'b' * 100000) }}", "replace() " + TOO_LONG),
    ("{{ ('a' * 100000)|replace('a', 'b' * 100000) }}", "|replace " + TOO_LONG),
    (DOUBLING.replace("OP", "~") + "{{ ns.x|length }}", "'~' " + TOO_LONG),
    (DOUBLING.replace("OP", "+") + "{{ ns.x|length }}", "'+' " + TOO_LONG),
    ("{{ ([[0]*100000]*100000)|join }}", "a list " + TOO_LONG),  # the list in it, made first
    ("{{ (range(20000)|map('string')|list)|join(' ' * 100) }}", "|join " + TOO_LONG),
    ("{{ ','.join(['a' * 50000] * 100000) }}", "join() " + TOO_LONG),
    ("{{ (range(100000)|map('center', 100000)|list)|length }}", "|list " + TOO_LONG),
    ("{{ (range(100000)|map('center', 50000)|sort)|length }}", "|sort " + TOO_LONG),
    ("{{ (range(100000)|map('center', 50000)|unique|list)|length }}", "|unique " + TOO_LONG),
    ("{{ [1]|slice(999999999)|list }}", "|slice " + TOO_LONG),
    ("{{ range(10)|batch(999999999, 'x')|list }}", "|batch " + TOO_LONG),
    # Lists in lists: a few hundred bytes whose text is a terabyte, refused where they are made.
    (
        DOUBLING.replace("'a'", "[0]").replace("ns.x OP ns.x", "[ns.x, ns.x]") + "{{ ns.x|upper }}",
        "a list " + TOO_LONG,
    ),
    (
        DOUBLING.replace("'a'", "[0]").replace("ns.x OP ns.x", "dict(a=ns.x, b=ns.x)") + "{{ ns.x|e }}",
        "a list " + TOO_LONG,
    ),
    (
        DOUBLING.replace("'a'", "[0]").replace("ns.x OP ns.x", "[ns.x] + [ns.x]") + "{{ ns.x|trim }}",
        "'+' " + TOO_LONG,
    ),
    ("{% set x = [0] * 50000 %}{{ [x] * 100000 }}", "'*' " + TOO_LONG),
    ("{% set x = [0] * 60000 %}{{ 'x' ~ (x, x) }}", "a list " + TOO_LONG),
    ("{% set x = ['a' * 60000] %}{{ '%s %s' % (x, x) }}", "a list " + TOO_LONG),
]


def letter(expression: str) -> str:
    """A template whose text block runs ``expression`` on line 3 for contact ``evil`` only."""
    return "\n".join(
        [
            "{% block subject %}Hi {{ contact.first_name }}{% endblock %}",
            "{% block text %}",
            f"{{% if contact.id == 'evil' %}}{expression}{{% endif %}}",
            "Text for {{ contact.first_name }}",
            "{% endblock %}",
        ]
    )


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(template_limits, "RENDER_SECONDS", BUDGET)
    return BUDGET


def refused(renderer: Renderer, contact_id: str = "evil") -> tuple[TemplateError, float]:
    """The render's error and the CPU seconds this thread spent on it: the budget the sandbox
    keeps (template_limits: ``thread_time``), not the wall clock a loaded machine stretches."""
    started = time.thread_time()
    with pytest.raises(TemplateError) as caught:
        renderer.render(item(person(contact_id, "Иван")))
    return caught.value, time.thread_time() - started


@pytest.mark.parametrize(("expression", "message"), SIZES, ids=[e for e, _ in SIZES])
def test_a_template_building_a_huge_value_is_refused_at_once(
    tmp_path: Path, expression: str, message: str
) -> None:
    r = write(tmp_path, {"birthday.j2": letter(expression)})
    error, took = refused(r)
    assert str(error) == f"birthday.j2:3: refused by the sandbox: {message} (contact evil)"
    assert took < QUICK
    assert r.render(item(person("good", "Анна"))).text == "Text for Анна"


OUTPUTS = [
    (
        "{% set x = 'a' * 100000 %}{% for i in range(100000) %}{{ x }}{% endfor %}",
        "birthday.j2: ",
        "block 'text'",
    ),
    ("{% for i in range(100000) %}" + "x" * 1000 + "{% endfor %}", "birthday.j2: ", "block 'text'"),
    (
        "{% macro m() %}{% for i in range(100) %}{{ 'a' * 100000 }}{% endfor %}{% endmacro %}{{ m()|length }}",
        "birthday.j2:3: ",
        "the output",
    ),
    (
        "{% set y %}{% for i in range(100) %}{{ 'a' * 100000 }}{% endfor %}{% endset %}{{ y|length }}",
        "birthday.j2:3: ",
        "the output",
    ),
]


@pytest.mark.parametrize(("expression", "where", "what"), OUTPUTS, ids=[e for e, _, _ in OUTPUTS])
def test_a_loop_printing_gigabytes_of_bounded_values_is_refused(
    tmp_path: Path, expression: str, where: str, what: str
) -> None:
    """Each value is within the limits; the letter printing it 100 000 times is not (10 GB)."""
    r = write(tmp_path, {"birthday.j2": letter(expression)})
    error, took = refused(r)
    assert str(error) == (
        f"{where}refused by the sandbox: {what} would be longer than 1,000,000 characters (contact evil)"
    )
    assert took < QUICK
    assert r.render(item(person("good", "Анна"))).text == "Text for Анна"


@pytest.mark.parametrize(
    "expression",
    [
        "{% macro m() %}{% for i in range(100000) %}{{ 'a' * 100000 }}{% endfor %}{% endmacro %}{{ m()|length }}",
        "{% set y %}{% for i in range(100000) %}{{ 'a' * 100000 }}{% endfor %}{% endset %}{{ y|length }}",
        "{% for i in range(100000) %}{{ 'a' * 100000 }}{% endfor %}",
    ],
)
def test_a_loop_keeping_gigabytes_of_fresh_text_is_stopped_before_it_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expression: str
) -> None:
    """A macro's or ``{% set %}`` block's buffer grows with each iteration before anything joins it."""
    monkeypatch.setattr(template_limits, "RENDER_SECONDS", 60.0)  # the memory check, not the clock
    r = write(tmp_path, {"birthday.j2": letter(expression)})
    error, took = refused(r)
    assert str(error) == (
        "birthday.j2:3: refused by the sandbox: a loop would take more than 256 MB of memory and was stopped"
        " (contact evil)"
    )
    assert took < 60
    assert r.render(item(person("good", "Анна"))).text == "Text for Анна"


def test_normal_uses_of_the_capped_routes_still_work(tmp_path: Path) -> None:
    body = (
        "{{ '%05d|%-4s|%.2f' % (42, 'ab', 3.14159) }} {{ '%(n)s!'|format(n='x') }} {{ 'ab'|center(6) }}|"
        " {{ '{:>5}/{:.1f}'.format('a', 2.25) }} {{ 'a'.ljust(3) }}| {{ [1, 2]|join('+') }}"
        " {{ ('a' ~ 'b') + 'c' }} {{ 'x\ny'|indent(2) }} {{ (range(3)|list + [9])|join }}"
        " {{ 'a-b'.replace('-', '--') }} {{ 7 * 6 }} {{ 7 % 4 }}"
        " {{ ([0] * 100000)|list|length }} {% for a, b in [(1, 2)] %}{{ a }}{{ b }}{% endfor %}"
        " {{ [3, 1, 2]|sort|join }} {{ (range(3)|map('string')|unique|list)|join }} {{ 'abc'|reverse }}"
    )
    r = write(tmp_path, {"birthday.j2": letter(body)})
    text = r.render(item(person("evil", "Иван"))).text
    assert text.splitlines()[0] == "00042|ab  |3.14 x!   ab  |     a/2.2 a  | 1+2 abc x"
    assert text.splitlines()[1] == "  y 0129 a--b 42 3 100000 12 123 012 cbaText for Иван"


@pytest.mark.parametrize("loop", [NESTED_LOOPS, "{% set l = range(100000)|list %}" + NESTED_LOOPS])
def test_a_render_running_past_its_budget_is_stopped_as_its_templates_error(
    tmp_path: Path, budget: float, loop: str
) -> None:
    r = write(tmp_path, {"birthday.j2": letter(loop)})
    error, took = refused(r)
    assert str(error).startswith("birthday.j2:3: the letter took longer than 0.3 s to render and was stopped")
    assert error.contact_id == "evil"
    assert budget <= took < budget + QUICK
    assert r.render(item(person("good", "Анна"))).text == "Text for Анна"


def test_a_macro_recursing_twice_per_call_is_stopped_too(tmp_path: Path, budget: float) -> None:
    recursion = (
        "{% macro f(n) %}{% if n < 40 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}{{ f(0) }}"
    )
    r = write(tmp_path, {"birthday.j2": letter(recursion)})
    error, took = refused(r)
    assert "the letter took longer than 0.3 s to render" in str(error)
    assert took < budget + QUICK


def test_after_time_outs_in_a_row_the_files_next_letters_fail_at_once(tmp_path: Path, budget: float) -> None:
    """``check`` over 10 000 contacts must not spend the budget on each of them."""
    r = write(tmp_path, {"birthday.j2": letter(NESTED_LOOPS).replace("contact.id == 'evil'", "true")})
    first, _ = refused(r, "c1")
    for n in range(2, TIMEOUTS_IN_A_ROW + 1):
        _, took = refused(r, f"c{n}")
        assert took >= budget
    later, took = refused(r, "c9")
    assert (later.template, later.line, later.detail) == (first.template, first.line, first.detail)
    assert later.contact_id == "c9"
    assert took < budget


def test_one_contacts_slow_letter_does_not_stop_the_others(tmp_path: Path, budget: float) -> None:
    r = write(tmp_path, {"birthday.j2": letter(NESTED_LOOPS)})
    for _ in range(TIMEOUTS_IN_A_ROW + 1):
        _, took = refused(r)  # every time the whole budget: each time out was the contact's own
        assert took >= budget
        assert r.render(item(person("good", "Анна"))).text == "Text for Анна"


def test_a_render_on_a_worker_thread_is_stopped(tmp_path: Path, budget: float) -> None:
    """As the daemon's start-up and reload render test runs (off the event loop, on a thread)."""
    r = write(tmp_path, {"birthday.j2": letter(NESTED_LOOPS)})
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            r.render(item(person("evil", "Иван")))
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(budget + QUICK)
    assert not worker.is_alive(), "the render is still running"
    assert isinstance(outcome[0], TemplateError)
    assert "birthday.j2:3: the letter took longer than 0.3 s" in str(outcome[0])


def _render_in_worker(renderer: Renderer, said: Connection) -> None:
    try:
        renderer.render(item(person("evil", "Иван")))
    except TemplateError as exc:
        said.send(str(exc))
    else:
        said.send("rendered")


def test_a_render_in_a_forked_build_worker_is_stopped(tmp_path: Path, budget: float) -> None:
    """As ``send`` builds letters (greeter.build_pool: forked processes, the renderer inherited)."""
    r = write(tmp_path, {"birthday.j2": letter(NESTED_LOOPS)})
    fork = multiprocessing.get_context("fork")
    ours, theirs = fork.Pipe(duplex=False)
    worker = fork.Process(target=_render_in_worker, args=(r, theirs), daemon=True)
    worker.start()
    try:
        assert ours.poll(budget + QUICK), "the forked render is still running"
        said = ours.recv()
    finally:
        worker.kill()
        worker.join()
    assert said.startswith("birthday.j2:3: the letter took longer than 0.3 s"), said


def bad_project(tmp_path: Path, body: str) -> Path:
    config = project(tmp_path)
    (tmp_path / "templates" / "birthday.j2").write_text(
        "{% block subject %}С днём рождения!{% endblock %}\n{% block text %}\n"
        f"{{{{ salutation }}}}!\n{body}\n{{% endblock %}}\n",
        encoding="utf-8",
    )
    return config


def test_preview_says_which_template_ran_too_long_instead_of_hanging(tmp_path: Path) -> None:
    """The real command in its own process, with the real budget: done in seconds, not never."""
    config = bad_project(tmp_path, NESTED_LOOPS)
    started = time.monotonic()
    code, out, err = greeter(config, *PREVIEW)
    took = time.monotonic() - started
    assert code == 1, (out, err)
    assert "birthday.j2:4: the letter took longer than 2 s to render and was stopped" in out + err
    assert took < 60


def test_preview_refuses_the_percent_payload(tmp_path: Path) -> None:
    config = bad_project(tmp_path, "{{ ('%0400000000d' % 1)|length }}")
    code, out, err = greeter_in_process(config, *PREVIEW)
    assert code == 1, (out, err)
    assert "birthday.j2:4: refused by the sandbox: '%' " + TOO_LONG in out + err


def test_check_reports_the_time_out_once_for_every_contact(tmp_path: Path, budget: float) -> None:
    config = bad_project(tmp_path, NESTED_LOOPS)
    code, out, err = greeter_in_process(config, "check", "--now", "2026-12-01T09:00")
    assert code == 1, (out, err)
    assert "birthday.j2:4:1: the letter took longer than 0.3 s to render and was stopped" in out + err
    assert "(3 contacts: 1, 2, 3)" in out + err


def test_the_daemons_start_up_render_test_refuses_the_template(tmp_path: Path, budget: float) -> None:
    """``greeter run`` never got to "listening": now it refuses to start, naming the file and why."""
    from greeter.daemon_inputs import load_valid_inputs

    config = bad_project(tmp_path, NESTED_LOOPS)
    outcome: list[BaseException] = []

    def start() -> None:  # on a thread, as the daemon loads its inputs (off_loop)
        try:
            load_valid_inputs(config, date(2026, 12, 1))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=start, daemon=True)
    worker.start()
    worker.join(budget + QUICK)
    assert not worker.is_alive(), "the start-up render test is still running"
    assert isinstance(outcome[0], ConfigError)
    words = [str(p) for p in outcome[0].problems]
    assert any("birthday.j2" in w and "took longer than 0.3 s" in w for w in words), words


def test_a_render_stopped_or_starved_is_not_timed_out_for_the_time_it_did_not_run() -> None:
    """QA: Ctrl-Z (or a VM stall) during a preview failed the shipped templates' letters."""
    previous = template_limits.start_budget(0.2)
    try:
        time.sleep(0.4)  # the wall clock passes the budget; the thread uses no CPU
        template_limits.check_time()  # not stopped: it has its CPU seconds left
        burn_until = time.thread_time() + 0.3
        with pytest.raises(template_limits.RenderTimeout):
            while True:  # what a runaway loop does: uses the CPU, reading the clock at each hook
                template_limits.check_time()
                assert time.thread_time() < burn_until + 1, "never stopped"
    finally:
        template_limits.end_budget(previous)


@pytest.mark.parametrize(("text", "seconds"), [(None, 2.0), ("", 2.0), ("600", 600.0), ("abc", 2.0),
                                               ("nan", 2.0), ("inf", 2.0), ("-1", 2.0), ("0", 2.0)])  # fmt: skip
def test_greeter_render_seconds_is_read_as_a_positive_number_or_left_at_its_default(
    text: str | None, seconds: float
) -> None:
    """``abc`` was an internal error (exit 3) in every command; ``nan`` and ``inf`` lifted the limit."""
    assert template_limits._seconds(text) == seconds
