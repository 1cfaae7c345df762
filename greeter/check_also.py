"""``greeter check``: a letter that drops its merged occasions, and an image without alt text.

Merged occasions. When two occasions of one client fall close together they
go out as one letter, chosen by the higher priority; the others ride along in
its ``also`` («…и с годовщиной Вашей компании!», "We would also like to wish
you a happy 21st anniversary of your company!"), and the journal records them
as greeted (``merged``), never to be sent on their own. A template that never
prints ``also`` renders without any error, so every merged greeting was lost
in silence while ``check`` said OK. So each file of a template that can lead
a merged letter is read, with what it extends, includes and imports with
context, for a read of ``also`` (or a call of an ``also_line`` helper); one
without is a warning naming the occasions it would drop and how to print them.

What is read is the parsed tree (:func:`~greeter.template_env.syntax_tree`, as
:mod:`greeter.check_files` reads references), never a render: the branch that
prints ``also`` is reached only by merged letters. Only what a letter renders
counts — a block's body as the extends chain resolves it (a child's
``{% block message %}`` without ``super()`` hides the layout's), included
files whole, and macros the letter defines itself. A macro imported the
default way (without context) cannot see ``also``: a name ``also`` there is
its own parameter, and counts only where the letter passes ``also`` in. A file
that does not parse, or a computed ``{% extends %}``/``{% include %}``, makes
the answer unknowable: no warning then. A read in the test of an ``{% if %}``
(or a ``{% for … if %}``) counts only where that statement prints something in
one of its branches: ``{% if also %}{# TODO #}{% endif %}`` prints nothing and
is warned, ``{% if also %}И с годовщиной!{% endif %}`` is not. What a branch
prints is not checked to be ``also`` itself: words about the merged occasion
are a mention too. The subject does not count: the shipped subjects name the
merged occasions (``also_subject``: «…с днём рождения и с Новым годом!»), and a
letter whose message block dropped them still lost the greeting itself.

Images. An ``<img>`` written without ``alt`` in any template file is a
warning at its line, naming its ``src`` (two on one line are told apart); any
``alt`` passes, an empty or blank one too (``alt``, ``alt=""``: HTML's mark of
a decorative image, which a screen reader skips). A logo is no decoration:
``_brand.j2``'s ``logo_url`` with an empty ``logo_alt`` is a warning. Most
clients block images until the reader asks, and show the alt text instead; a
screen reader reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from jinja2 import TemplateSyntaxError, nodes

from greeter.config import Settings
from greeter.errors import Problem
from greeter.render import Renderer
from greeter.template_env import syntax_tree
from greeter.template_snapshot import SUFFIX, TemplateFiles

__all__ = ["dropped_also_problems", "image_alt_problems", "template_content_problems"]

#: The letter variable holding the merged occasions.
ALSO: Final = "also"
#: The shipped helper printing them (``_ru.j2``, ``_en.j2``…): calling it prints ``also``.
HELPER: Final = "also_line"
#: The brand file whose logo needs its alt text (see ``templates/_brand.j2``).
BRAND: Final = "_brand.j2"

_IMG: Final = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
#: One attribute of a tag: its name, and its value quoted either way or bare (none: ``alt`` alone).
_ATTRIBUTE: Final = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.IGNORECASE
)
#: How much of an image's ``src`` a warning shows: its start and its end (the file's name).
_SRC_SHOWN: Final = 40
#: Jinja's tags, expressions and comments, blanked before HTML is looked at (a ``>`` inside one).
_JINJA: Final = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


def template_content_problems(settings: Settings, renderer: Renderer) -> list[Problem]:
    """Both checks of this module, for :func:`greeter.checks.run_check`: warnings only."""
    folder = Path(settings.templates_dir)
    snapshot = TemplateFiles.read(folder)
    return [*dropped_also_problems(settings, renderer, snapshot), *image_alt_problems(snapshot)]


# --------------------------------------------------------------------------- merged occasions


def carried_by(settings: Settings) -> dict[str, list[str]]:
    """Each template's occasions that can ride in its letters (merged into them), in config order.

    The highest priority leads a merged letter (as :func:`greeter.check_forms.letter_forms`
    tries them): an occasion can be carried by one of the same or a higher priority.
    A template no other occasion can ride in is absent.
    """
    carried: dict[str, list[str]] = {}
    for lead in settings.occasions:
        for other in settings.occasions:
            if other.name != lead.name and other.priority <= lead.priority:
                names = carried.setdefault(lead.template, [])
                if other.name not in names:
                    names.append(other.name)
    order = [o.name for o in settings.occasions]
    return {template: sorted(names, key=order.index) for template, names in carried.items()}


def dropped_also_problems(
    settings: Settings, renderer: Renderer, snapshot: TemplateFiles | None = None
) -> list[Problem]:
    """A warning per file of a lead template whose letters never print ``also``."""
    folder = Path(settings.templates_dir)
    if snapshot is None:
        snapshot = TemplateFiles.read(folder)
    reader = _Reader(snapshot)
    problems: list[Problem] = []
    for template, carried in carried_by(settings).items():
        leads = [o.name for o in settings.occasions if o.template == template]
        for path in renderer.template_files(template):
            file = path.relative_to(folder).as_posix()
            if reader.prints_also(file) is not False:
                continue
            language = _language(file, template, settings.defaults.locale)
            message = (
                f"the letters of {', '.join(leads)} never print `also`: an occasion merged into one "
                f"({', '.join(carried)}) is recorded as greeted (merged) and never sent on its own, "
                f"yet this letter does not mention it; print them in the message block: "
                f"{_how_to_print(snapshot, language)}"
            )
            problems.append(
                Problem(file, "", message, reader.message_line(file), kind="template", severity="warning")
            )
    return problems


def _language(file: str, template: str, default_locale: str) -> str:
    """The language of a template file: its name's locale part, else ``defaults.locale``'s."""
    locale = file.removesuffix(SUFFIX)[len(template) + 1 :] or default_locale
    return locale.replace("-", "_").split("_")[0].lower()


def _how_to_print(snapshot: TemplateFiles, language: str) -> str:
    """The lines that print ``also`` in a letter of ``language``: its ``also_line`` if the folder has one."""
    library = f"_{language}{SUFFIX}"
    if library in snapshot and f"macro {HELPER}(".encode() in snapshot.files[library]:
        return (
            f'{{% from "{library}" import {HELPER} %}} then '
            f"{{% if also %}}{{{{ {HELPER}(also, send_date) }}}}{{% endif %}} (as the shipped letters do)"
        )
    return '{% if also %}{{ also|join(", ") }}{% endif %} (each prints as its title)'


class _Reader:
    """Parsed template files of one snapshot, and what their letters read; each file parsed once."""

    def __init__(self, snapshot: TemplateFiles) -> None:
        self._snapshot = snapshot
        self._trees: dict[str, nodes.Template | None] = {}

    def tree(self, file: str) -> nodes.Template | None:
        """``file`` parsed, or None when it is missing, not UTF-8 or not valid (reported elsewhere)."""
        if file not in self._trees:
            raw = self._snapshot.files.get(file)
            try:
                self._trees[file] = None if raw is None else syntax_tree(raw.decode("utf-8"), file)
            except (UnicodeDecodeError, TemplateSyntaxError):
                self._trees[file] = None
        return self._trees[file]

    def message_line(self, file: str) -> int | None:
        """Where to print ``also``: the file's ``{% block message %}``, else its first line."""
        tree = self.tree(file)
        if tree is None:
            return None
        for block in tree.find_all(nodes.Block):
            if block.name == "message":
                return block.lineno
        return 1

    def chain(self, file: str) -> list[nodes.Template] | None:
        """``file`` and what it extends, child first; None when a link is unknowable."""
        trees: list[nodes.Template] = []
        seen: set[str] = set()
        current: str | None = file
        while current is not None:
            tree = self.tree(current)
            if tree is None or current in seen:
                return None
            seen.add(current)
            trees.append(tree)
            current = None
            for node in tree.body:
                if isinstance(node, nodes.Extends):
                    name = _literal(node.template)
                    if name is None:
                        return None
                    current = name
        return trees

    def prints_also(self, file: str) -> bool | None:
        """Whether a letter of ``file`` reads ``also``; None if that cannot be known."""
        trees = self.chain(file)
        if trees is None:
            return None
        # Each block's bodies as the chain renders it: the child's, then its parents' while super() is called.
        definitions: dict[str, list[nodes.Block]] = {}
        for tree in trees:
            for block in tree.find_all(nodes.Block):
                if block.name != "subject":  # naming them in the subject line is no greeting
                    definitions.setdefault(block.name, []).append(block)
        bodies: list[nodes.Node] = []
        for blocks in definitions.values():
            for block in blocks:
                bodies.extend(block.body)
                if not _calls_super(block):
                    break
        found = _Found()
        for body in bodies:
            _scan(body, frozenset(), found)
        if found.reads:
            return True
        return self._reaches(found.included, {file})

    def _reaches(self, files: Iterable[str | None], seen: set[str]) -> bool | None:
        """Whether any of ``files`` (included, or imported with context) reads ``also``; None if unknown."""
        unknown = False
        for file in files:
            if file is None:
                unknown = True
                continue
            if file in seen:
                continue
            seen.add(file)
            tree = self.tree(file)
            if tree is None:
                unknown = True
                continue
            found = _Found()
            _scan(tree, frozenset(), found)
            if found.reads:
                return True
            deeper = self._reaches(found.included, seen)
            if deeper is True:
                return True
            unknown |= deeper is None
        return None if unknown else False


class _Found:
    """What a scan found: a read of ``also`` (or an ``also_line`` call), and the files it pulls in."""

    def __init__(self) -> None:
        self.reads = False
        #: Files included or imported with context (None: a computed name).
        self.included: list[str | None] = []


def _literal(target: nodes.Expr) -> str | None:
    """The template name ``target`` gives literally, else None (a computed or listed name)."""
    if isinstance(target, nodes.Const) and isinstance(target.value, str):
        return target.value
    return None


def _calls_super(block: nodes.Block) -> bool:
    return any(
        isinstance(call.node, nodes.Name) and call.node.name == "super" for call in block.find_all(nodes.Call)
    )


def _scan(node: nodes.Node, bound: frozenset[str], found: _Found) -> None:
    """Walk ``node`` for a read of ``also`` not bound by a macro's parameter; nested blocks are their own."""
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in bound:
        if node.name in (ALSO, HELPER):
            found.reads = True
        return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == HELPER:
        found.reads = True
    # An include shares the letter's context; an import only when asked ``with context``.
    pulled = isinstance(node, nodes.Import | nodes.FromImport) and node.with_context
    if isinstance(node, nodes.Include) or pulled:
        assert isinstance(node, nodes.Include | nodes.Import | nodes.FromImport)
        found.included.append(_literal(node.template))
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        bound = bound | {arg.name for arg in node.args}
    tested: nodes.Node | None = None
    if isinstance(node, nodes.If | nodes.For) and node.test is not None:
        # ``{% if also %}{# TODO #}{% endif %}`` reads ``also`` and prints nothing: a test counts only
        # where the statement prints something (``{% if also %}и с годовщиной!{% endif %}`` does).
        tested = node.test
        test = _Found()
        _scan(tested, bound, test)
        found.included.extend(test.included)
        found.reads |= test.reads and _prints(node)
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block) or child is tested:
            continue  # a block is rendered as the chain resolves it: see _Reader.prints_also
        _scan(child, bound, found)


def _prints(node: nodes.If | nodes.For) -> bool:
    """Whether any branch of ``node`` prints something: text that is not blank, an expression, an
    include or a macro's call block (its test aside: what it reads is not printed by being tested)."""
    branches: list[nodes.Node] = [*node.body, *node.else_]
    if isinstance(node, nodes.If):
        branches.extend(node.elif_)
    for branch in branches:
        for inner in (branch, *branch.find_all((nodes.Output, nodes.Include, nodes.CallBlock))):
            if isinstance(inner, nodes.Include | nodes.CallBlock):
                return True
            if isinstance(inner, nodes.Output) and any(
                not (isinstance(part, nodes.TemplateData) and not part.data.strip()) for part in inner.nodes
            ):
                return True
    return False


# --------------------------------------------------------------------------- images


def image_alt_problems(snapshot: TemplateFiles) -> list[Problem]:
    """A warning per ``<img>`` without ``alt`` in a template file, and for a brand logo without alt text."""
    problems: list[Problem] = []
    for file, raw in sorted(snapshot.files.items()):
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # reported where it is used
        for line, src in _images_without_alt(source):
            image = f'<img src="{_shortened(src)}">' if src else "<img>"
            message = (
                f'an {image} without alt="…": most mail clients block images until the reader asks, '
                "and show its alt text instead (a screen reader reads it): say what the image shows"
            )
            problems.append(Problem(file, "", message, line, kind="template", severity="warning"))
    if BRAND in snapshot:
        problems.extend(_logo_problems(snapshot.files[BRAND]))
    return problems


def _images_without_alt(source: str) -> Iterator[tuple[int, str]]:
    """The line and the ``src`` (as written, "" if none) of each ``<img …>`` in ``source``'s HTML
    with no ``alt`` attribute (Jinja blanked out while the tag is read).

    Any ``alt`` will do: ``alt="Торт"``, and also a bare ``alt``, ``alt=""`` or
    a blank ``alt="  "`` — an empty alt is how HTML marks an image decorative
    (a divider, a spacer: nothing to say, and a screen reader skips it), and a
    blank one reads the same, so neither is warned. The ``src`` says which
    image is meant where a line has several; it is read from ``source``
    itself, so ``src="{{ logo_url }}"`` shows as written.
    """
    blanked = _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    for match in _IMG.finditer(blanked):
        values: dict[str, tuple[int, int]] = {}  # attribute name → its value's span in the source
        for attribute in _ATTRIBUTE.finditer(match.group(), 4):  # after "<img"
            group = next((i for i in (2, 3, 4) if attribute.group(i) is not None), None)
            span = (0, 0) if group is None else attribute.span(group)
            values.setdefault(attribute.group(1).lower(), (match.start() + span[0], match.start() + span[1]))
        if "alt" not in values:
            at, end = values.get("src", (0, 0))
            yield blanked.count("\n", 0, match.start()) + 1, " ".join(source[at:end].split())


def _shortened(src: str) -> str:
    """An image's ``src`` short enough for a warning: its start and its end, "https://cdn.…/cake.png"."""
    if len(src) <= _SRC_SHOWN:
        return src
    tail = _SRC_SHOWN * 2 // 3
    return f"{src[: _SRC_SHOWN - tail - 1]}…{src[-tail:]}"


def _logo_problems(raw: bytes) -> list[Problem]:
    """A warning when ``_brand.j2`` sets ``logo_url`` to an address and ``logo_alt`` to nothing, and
    one when that address is plain ``http://`` (the file's comment asks for https://)."""
    try:
        tree = syntax_tree(raw.decode("utf-8"), BRAND)
    except (UnicodeDecodeError, TemplateSyntaxError):
        return []
    values: dict[str, tuple[object, int]] = {}
    for node in tree.body:
        if (
            isinstance(node, nodes.Assign)
            and isinstance(node.target, nodes.Name)
            and isinstance(node.node, nodes.Const)
        ):
            values[node.target.name] = (node.node.value, node.lineno)
    url = values.get("logo_url")
    alt = values.get("logo_alt")
    if url is None or not (isinstance(url[0], str) and url[0].strip()):
        return []
    problems: list[Problem] = []
    if url[0].strip().lower().startswith("http://"):
        # The brand file's comment asks for https://, as the unsubscribe link must be: a plain-http
        # image is "not secure" content in webmail (Gmail proxies it, others block it or warn),
        # and an address anyone on the path can swap the logo of.
        message = (
            f"the logo (logo_url) is a plain http:// address ({_shortened(url[0].strip())}): "
            "mail clients block or flag images not served over https, so serve it over https://"
        )
        problems.append(Problem(BRAND, "", message, url[1], kind="template", severity="warning"))
    if alt is not None and isinstance(alt[0], str) and alt[0].strip():
        return problems
    line = alt[1] if alt is not None else url[1]
    message = (
        "the logo (logo_url) has no alt text: most mail clients block images until the reader "
        "asks and show logo_alt instead, so set it to what the logo says (the company's name)"
    )
    return [*problems, Problem(BRAND, "", message, line, kind="template", severity="warning")]
