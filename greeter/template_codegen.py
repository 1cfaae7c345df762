"""How a letter template is compiled: greeter's code generator, template class and print functions.

Split from :mod:`greeter.template_env` so that what a template compiles *to*
(the Python Jinja writes for it, and the functions that code calls for each
``{{ … }}`` and ``~``) is read apart from what the sandbox lets a template
see and call at run time (``template_env``: :class:`~greeter.template_env.Sandbox`,
whose ``template_class`` and ``code_generator_class`` are the two classes here,
and :func:`~greeter.template_env.make_environment`, whose ``finalize`` is
:func:`finalize_printed`). Compiled code is kept on disk keyed by this
module's source too (:data:`greeter.template_code.GENERATOR_MODULES`); the
filter name :data:`TIMED_LOOP` is in every parsed loop, so template shapes are
keyed by it as well (:data:`greeter.template_shape_cache.SHAPE_MODULES`).
"""

from __future__ import annotations

import copy
import reprlib
from collections.abc import MutableMapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from jinja2 import Environment, Template, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.runtime import Context, markup_join
from markupsafe import Markup

from greeter.template_limits import MAX_LENGTH, bounded, text_of, weight
from greeter.template_markup import escape_html, escape_text, markup

__all__ = ["TIMED_LOOP", "LetterCodeGenerator", "LetterTemplate", "finalize_printed"]

#: The filter every ``{% for %}`` loop's items pass through (see :meth:`greeter.template_env.Sandbox._parse`).
TIMED_LOOP: Final = "timed loop"

#: What ``str()`` runs for a type with no text of its own: its ``repr``, Python's notation
#: (a read-only mapping's is its dict's, ``{'birthday': datetime.date(…)}``).
_NOTATION: Final[frozenset[Any]] = frozenset({object.__str__, MappingProxyType.__str__})
#: Types printed as they are, checked first (what almost every ``{{ … }}`` prints).
_TEXT: Final = frozenset({str, Markup, int})


def finalize_printed(value: Any) -> Any:
    """Refuse to print what is never letter text: ``None``, functions, and Python's notation for data.

    ``StrictUndefined`` catches missing names but not ``None`` ("лет: None")
    nor a method printed without parentheses (its repr, or a sandbox probe
    like ``''|attr('format')``). Nor a list or mapping printed whole
    (``{{ also }}``, ``{{ contact.tags }}``): whatever has no ``__str__`` of its
    own prints its ``repr``, ``[{'occasion': …}]`` or ``frozenset({'vip'})``,
    which is never meant for a client. Values with their own text (a contact,
    an ``also`` item, a date) print as before. Only values that are not
    ``str``/``int`` get this far, so the common case costs nothing more.
    """
    if type(value) in _TEXT:  # nearly every value printed: the checks below would pass it
        return value
    if value is None:
        raise TemplateRuntimeError(
            "printed a None value (e.g. years for an occasion without an anniversary); "
            "guard it with {% if … %}"
        )
    if isinstance(value, Undefined | str | int | float | date):
        return value
    if not callable(value):
        if type(value).__str__ in _NOTATION:  # list, dict, set, a dataclass: str() is repr()
            # A list shared 100 000 times in a list is small, its repr gigabytes: quoted in short then.
            quoted = repr(value) if weight(value) <= MAX_LENGTH else reprlib.repr(value)
            raise TemplateRuntimeError(
                f"printed a {type(value).__name__}, which would appear in Python's notation "
                f"({_shortened(quoted)}): print one of its fields, or join it with |join(', ')"
            )
        return value
    raise SecurityError(
        f"refusing to print a {type(value).__name__}: functions and methods are not letter text "
        "(missing parentheses?)"
    )


def _html_output(value: Any) -> Markup:
    """``escape(finalize(value))``, what an escaping template prints for ``{{ value }}``, in one call.

    Text and Markup pass :func:`finalize_printed` unchanged, so they are escaped (or
    kept) here directly; anything else takes both steps. See
    :class:`LetterCodeGenerator`, which writes this call.
    """
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    if kind is str:
        return markup(escape_text(value))
    return escape_html(finalize_printed(value))


def _text_output(value: Any) -> str:
    """``str(finalize(value))``, what a plain-text template prints for ``{{ value }}``, in one call."""
    if type(value) is str:
        return value  # str(value) is value itself
    return str(finalize_printed(value))


def _str_join(seq: tuple[Any, ...]) -> str:
    """``a ~ b`` in a plain-text template (Jinja's ``str_join``), held to the length limit.

    Each piece is at most the limit already, so the text is built and then
    measured; a list or mapping among the pieces is weighed before it is printed.
    """
    return bounded("".join([v if type(v) is str else str(text_of(v, "'~'")) for v in seq]), "'~'")


def _markup_join(seq: tuple[Any, ...]) -> str:
    """``a ~ b`` in an HTML template (Jinja's ``markup_join``), held to the length limit."""
    for value in seq:
        text_of(value, "'~'")
    return bounded(markup_join(seq), "'~'")


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LetterTemplate(Template):
    """A compiled template whose ``{{ … }}`` output escapes with :func:`escape_html`.

    Jinja's generated module imports ``escape`` (markupsafe's) and calls it on
    every value an autoescaping template prints, most of them already
    ``Markup`` (a block, a filter's HTML) that ``escape`` copies through two
    Python frames. The module's own namespace is the one place that name is
    looked up, so it is pointed at :func:`escape_html`, which returns the same
    text for every value. Templates compiled without autoescape never call it.
    """

    @classmethod
    def _from_namespace(
        cls,
        environment: Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],
    ) -> Template:
        namespace["escape"] = escape_html
        namespace["_html_output"] = _html_output
        namespace["_text_output"] = _text_output
        namespace["str_join"] = _str_join  # ``~``: Jinja's, capped (see visit_Concat)
        namespace["markup_join"] = _markup_join
        return super()._from_namespace(environment, namespace, globals)

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        """An imported macro file's module: the cached one when the importer has no globals of its own.

        Jinja builds a fresh module when the importing context has globals the
        imported template lacks, and looks for them with a set difference over
        the template's globals (a ChainMap) on every import. A letter context
        has none (see :func:`greeter.template_blocks.block_context`), so the difference is
        empty and the answer is the cached module; the look is skipped then.
        """
        if ctx is None or not ctx.globals_keys:
            module = self._module  # made by the first call (never for an async environment)
            if module is not None:
                return module
            ctx = None
        module = super()._get_default_module(ctx)
        if ctx is None:  # the cached module, made just now
            made = getattr(self.environment, "module_made", None)
            if made is not None:
                made(self, module)
        return module


#: How Jinja's code generator finalizes a printed value (the source it writes around it).
_Finalize = CodeGenerator._FinalizeInfo


def _fused_output(frame: Frame, finalize: _Finalize) -> bool:
    """Whether a printed value's ``escape``/``str`` and ``finalize`` are written as one call.

    Only with the environment's own :func:`finalize_printed` and an escaping mode fixed at
    compile time (``{% autoescape %}``, which would make it vary, is rejected anyway).
    """
    return finalize.src == "environment.finalize(" and not frame.eval_ctx.volatile


#: The longest ``range`` a loop printing only text is written as its text repeated
#: (:meth:`LetterCodeGenerator.visit_For`): below the timed loop's memory check interval.
_REPEATED_ITEMS: Final = 128
#: …and the most text that makes (a loop's constant pieces cost it no memory: one string).
_REPEATED_TEXT: Final = 1024


class LetterCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``self.<name>()`` compiled to one call of the sandbox's.

    The stock code for ``{{ self.message() }}`` is ``environment.call(context,
    environment.getattr(self, 'message'), …)``: a sandbox attribute look-up
    that makes a ``BlockReference``, then a sandbox call of it — for the dozen
    block calls of every letter. The one call made instead
    (:meth:`greeter.template_env.Sandbox.call_self_block`) does the same for a
    real ``self`` (a ``TemplateReference``), and the two steps above for
    anything else (a macro argument named ``self``), so a template cannot tell
    the difference. Every other call is compiled as Jinja compiles it.

    And each ``{{ … }}`` printed is one call, :func:`_html_output` or
    :func:`_text_output`, instead of Jinja's two (``escape(environment.finalize(…))``
    or ``str(environment.finalize(…))``), with the same result.
    """

    def _output_child_pre(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if _fused_output(frame, finalize):
            self.write("_html_output(" if frame.eval_ctx.autoescape else "_text_output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if _fused_output(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        """A list literal with a variable in it, weighed (``[x, x]`` doubles what ``x`` prints)."""
        self._weighed(node, node.items, frame, super().visit_List)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # ``{% for a, b in … %}``, ``{% set a, b = … %}``: names, not a value
            super().visit_Tuple(node, frame)
        else:
            self._weighed(node, node.items, frame, super().visit_Tuple)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._weighed(node, [p.value for p in node.items], frame, super().visit_Dict)

    def _weighed(self, node: Any, items: list[nodes.Expr], frame: Frame, visit: Any) -> None:
        if all(map(_written_out, items)):
            visit(node, frame)  # constants only: as long as the template's own text
            return
        self.write("environment.weighed(")
        visit(node, frame)
        self.write(")")

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        target = node.node
        if (
            forward_caller
            or self.environment.is_async
            or not isinstance(target, nodes.Getattr)
            or not isinstance(target.node, nodes.Name)
            or target.node.name != "self"
            or target.attr.startswith("_")  # refused by the sandbox's getattr, block or not
            or node.args
            or node.kwargs
            or node.dyn_args is not None
            or node.dyn_kwargs is not None
        ):
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.write("environment.call_self_block(context, ")
        self.visit(target.node, frame)
        self.write(f", {target.attr!r}")
        if frame.loop_frame:
            self.write(", _loop_vars=_loop_vars")
        if frame.block_frame:
            self.write(", _block_vars=_block_vars")
        self.write(")")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        """A short loop over a ``range`` whose body is only text, written as the text repeated.

        ``{% for _ in range(30) %}&#847;&zwnj;&nbsp;{% endfor %}`` (a layout's
        preheader padding) ran thirty Python iterations per letter, each reading
        the render's clock through the timed-loop filter and yielding the same
        constant: ~0.07 M instructions, 3 % of a letter's build. The items are
        computed as before; when they are a ``range`` of at most
        :data:`_REPEATED_ITEMS` items and :data:`_REPEATED_TEXT` characters of
        text in all, the output is that text ``len(range)`` times, one string
        made in C: what the loop printed. Short, so that what the loop skips is
        bounded: its clock readings (the call that made the range reads it, and
        so does any loop around this one) and its memory check, which a loop of
        so few items never reached. Anything else (another iterable, a longer
        range: a nested loop of a hundred thousand empty iterations must still
        run out of time) runs the loop as Jinja compiles it.
        """
        text = _constant_body(node)
        timed_loop = node.iter  # {% for x in items|<timed loop> %}: see Sandbox._parse
        if (
            text is None
            or frame.require_output_check
            or frame.eval_ctx.volatile
            or not isinstance(timed_loop, nodes.Filter)
            or timed_loop.name != TIMED_LOOP
            or timed_loop.node is None
        ):
            super().visit_For(node, frame)
            return
        items = self.temporary_identifier()
        self.writeline(f"{items} = ", node)
        self.visit(timed_loop.node, frame)
        longest = min(_REPEATED_ITEMS, _REPEATED_TEXT // max(len(text), 1))
        self.writeline(f"if type({items}) is range and len({items}) <= {longest}:")
        self.indent()
        if frame.buffer is None:
            self.writeline(f"yield {text!r} * len({items})")
        else:
            self.writeline(f"{frame.buffer}.append({text!r} * len({items}))")
        self.outdent()
        self.writeline("else:")
        self.indent()
        loop = copy.copy(node)
        # The items by the name they are held in: an InternalName, made as Jinja's parser makes one
        # (free_identifier; its constructor refuses), is written as that name.
        held = object.__new__(nodes.InternalName)
        nodes.Node.__init__(held, items, lineno=timed_loop.lineno)
        loop.iter = nodes.Filter(held, TIMED_LOOP, [], [], None, None, lineno=timed_loop.lineno)
        super().visit_For(loop, frame)
        self.outdent()


def _constant_body(node: nodes.For) -> str | None:
    """The text a loop's body prints when it prints only template text (else None).

    Only a plain loop: one loop variable (a tuple target would fail to unpack a
    number), no ``{% else %}``, no ``if`` filter, not recursive.
    """
    if (
        node.else_
        or node.test is not None
        or node.recursive
        or not isinstance(node.target, nodes.Name)
        or not all(isinstance(child, nodes.Output) for child in node.body)
    ):
        return None
    pieces = [piece for output in node.body for piece in output.nodes]  # type: ignore[attr-defined]
    if not all(type(piece) is nodes.TemplateData for piece in pieces):
        return None
    return "".join(piece.data for piece in pieces)


def _written_out(node: nodes.Expr) -> bool:
    """Whether ``node`` is a constant or a literal of constants only (``{"ru": ("…", "…")}``).

    Such a value is as long as the template's own text: nothing to weigh when
    it is made (the unsubscribe line's table of languages is made per letter).
    """
    if isinstance(node, nodes.Const):
        return True
    if isinstance(node, nodes.List | nodes.Tuple):
        return all(map(_written_out, node.items))
    if isinstance(node, nodes.Dict):
        return all(_written_out(pair.key) and _written_out(pair.value) for pair in node.items)
    return False
