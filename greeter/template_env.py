"""The sandbox templates run in: what it prints, what it refuses, and its two environments.

Split from :mod:`greeter.render` so that what a template may *see and call*
(this module, with the views of :mod:`greeter.template_views` and the filters
of :mod:`greeter.template_filters`) is reviewed apart from how template files
are found, checked and rendered (``render``). See ``greeter/render.py``'s
docstring for the template reference and the security rules these pieces
implement. How templates are compiled (the code generator, the template class
and the functions their code calls to print) is :mod:`greeter.template_codegen`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from types import BuiltinMethodType, FunctionType, MappingProxyType, MethodType
from typing import Any, Final

from jinja2 import (
    BaseLoader,
    DictLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    nodes,
)
from jinja2.bccache import BytecodeCache
from jinja2.environment import TemplateModule
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import BlockReference, Context, Macro, TemplateReference
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
    safe_range,
)
from jinja2.utils import generate_lorem_ipsum, missing
from markupsafe import Markup

from greeter.template_codegen import TIMED_LOOP, LetterCodeGenerator, LetterTemplate, finalize_printed
from greeter.template_filters import FILTERS
from greeter.template_limits import (
    MAX_LENGTH,
    WEIGHED,
    bounded,
    check_time,
    joined,
    output,
    percent_checked,
    spec_width,
    text_of,
    timed,
    too_long,
    weighed,
    weight,
)
from greeter.template_markup import markup
from greeter.template_memo import MacroMemo, pure_file
from greeter.template_views import VIEW_FIELDS

#: Largest integer a template may build with ``**`` or ``*``, in bits (about 1 200 decimal digits).
_MAX_POWER_BITS: Final = 4_096
#: ``lipsum()`` bounds (the stock global has none: ``lipsum(10**6)`` is gigabytes of text).
_MAX_LIPSUM_PARAGRAPHS: Final = 100
_MAX_LIPSUM_WORDS: Final = 1_000

__all__ = ["LetterContext", "Sandbox", "make_environment", "syntax_tokens", "syntax_tree"]


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's ``lipsum`` with a cap: the stock one builds ``lipsum(10**6)`` (gigabytes) unasked."""
    if n > _MAX_LIPSUM_PARAGRAPHS or max > _MAX_LIPSUM_WORDS:
        raise OverflowError(
            f"lipsum is capped at {_MAX_LIPSUM_PARAGRAPHS} paragraphs of {_MAX_LIPSUM_WORDS} words"
        )
    return generate_lorem_ipsum(n, html, min, max)  # Markup when html, as the stock global


# --------------------------------------------------------------------------- environments


class _NoAutoescapeTag(Extension):
    """Reject ``{% autoescape %}`` in every template an environment compiles (layouts and macros too)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        previous: Token | None = None
        for token in stream:
            if (
                token.type == "name"
                and token.value in ("autoescape", "endautoescape")
                and previous is not None
                and previous.type == "block_begin"
            ):
                raise TemplateSyntaxError(
                    "{% autoescape %} is not allowed: HTML is always escaped, text never",
                    token.lineno,
                    stream.name,
                    stream.filename,
                )
            previous = token
            yield token


class LetterContext(Context):
    """The context one letter part (subject and text, or html) is rendered in, block by block.

    It also keeps what each ``self.<block>()`` call rendered, so that a block
    the layout calls several times (``self.subject()`` for the title and the
    heading, ``self.what()`` in the subject, heading and message) is rendered
    once per part. That is the same text: a letter context's variables are
    fixed when it is made (its templates' top-level code never runs, see
    :mod:`greeter.render`), template code cannot change them (a ``{% set %}``
    in a block is local to it; the sandbox is immutable), and ``self.<block>()``
    passes the block nothing but this context. Only contexts of this class
    keep results: the ones Jinja derives (a scoped block's, an include's, an
    imported-with-context macro file's) carry loop variables or run top-level
    ``{% set %}`` between calls, and render afresh on every call as before.
    The html part has its own context (autoescaped), so nothing rendered for
    the text is reused in HTML or the other way round. The exception: a block
    printing something random (``|random``, ``lipsum()``) prints the same
    pick each time within a part.
    """

    def __init__(
        self, environment: Environment, parent: dict[str, Any], name: str | None, blocks: dict[str, Any]
    ) -> None:
        super().__init__(environment, _Variables(parent), name, blocks)
        # ``vars`` holds what a template's top-level code sets, and a letter context runs none
        # (greeter.render renders it block by block; a ``{% set %}`` in a block is the block's
        # own). Read-only, so that were any code to set one, it fails instead of being missed
        # by the look-up below.
        self.vars = _NO_VARS  # type: ignore[assignment]
        #: (block name, depth in its override stack) → what it rendered.
        self.rendered: dict[tuple[str, int], str] = {}
        # What resolve_or_missing (Jinja's documented hook, called for each name every block
        # uses: some forty a letter) answers with no variables of its own: ``parent``'s value,
        # else ``missing`` (_Variables.__missing__). The variables' own look-up, called from the
        # generated code without a Python frame of ours.
        self.resolve_or_missing = self.parent.__getitem__  # type: ignore[assignment]


class _Variables(dict[str, Any]):
    """A letter context's variables: a name that is not one of them is Jinja's ``missing``.

    So that ``variables[name]`` is what ``Context.resolve_or_missing`` answers
    for a context with no ``vars`` (a dictionary look-up in C). Only
    subscription differs from a ``dict``: ``in``, ``get`` and iteration, which
    Jinja's other uses of a context's ``parent`` make, are a dict's.
    """

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        return missing


_NO_VARS: Final[Mapping[str, Any]] = MappingProxyType({})
#: Keyword arguments Jinja's generated code adds to a call: scope hints for context functions.
_SCOPE_HINTS: Final = frozenset({"_block_vars", "_loop_vars"})


def _block_once(block: BlockReference) -> Any:
    """``self.<block>()`` (or ``super()``): rendered once per :class:`LetterContext`."""
    context = block._context
    if type(context) is not LetterContext:
        return block()
    key = (block.name, block._depth)
    done = context.rendered.get(key)
    if done is None:
        # What BlockReference.__call__ does (greeter's environments are not async), without
        # its frame and Markup.__new__'s: the block's output joined, as Markup when escaping.
        text = output(block._stack[block._depth](context), f"block {block.name!r}")
        done = markup(text) if context.eval_ctx.autoescape else text
        context.rendered[key] = done  # an error propagates and nothing is kept
    return done


class _LimitedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox, whose fields' widths and precisions together stay under the limit."""

    _asked = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._asked = 0
        return bounded(super().vformat(format_string, args, kwargs), "format()")

    def format_field(self, value: Any, format_spec: str) -> Any:
        self._asked += spec_width(format_spec)  # nested fields ({0:{1}}) are filled in by now
        if self._asked > MAX_LENGTH:
            raise too_long("format()")
        return super().format_field(text_of(value, "format()"), format_spec)


class _LimitedEscapeFormatter(_LimitedFormatter, SandboxedEscapeFormatter):
    """:class:`_LimitedFormatter` for ``Markup.format``: escapes what it fills in."""


#: ``str`` methods that pad to a width given as their first argument.
_PADDING: Final = frozenset({"center", "ljust", "rjust", "zfill"})
#: ``str`` methods whose result can be much longer than the text: checked before they run.
_GROWING: Final = _PADDING | {"expandtabs", "replace", "join", "translate"}


def _str_method_args(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The arguments of a template's call of a ``str`` method that may grow its text, checked first.

    Returns them as the method is then called (``join``'s items read once, into a list).
    """
    name = method.__name__
    text: str = method.__self__
    route = f"{name}()"

    def arg(index: int, keyword: str, default: Any) -> Any:
        return args[index] if len(args) > index else kwargs.get(keyword, default)

    if name in _PADDING:
        width = arg(0, "width", 0)
        if type(width) is int and width > MAX_LENGTH:
            raise too_long(route)
    elif name == "expandtabs":
        size = arg(0, "tabsize", 8)
        if type(size) is int and len(text) + text.count("\t") * size > MAX_LENGTH:
            raise too_long(route)
    elif name == "replace":
        old, new, count = arg(0, "old", None), arg(1, "new", None), arg(2, "count", -1)
        if isinstance(old, str) and isinstance(new, str):
            times = text.count(old) if old else len(text) + 1
            if type(count) is int and count >= 0:
                times = min(times, count)
            if len(text) + times * len(new) > MAX_LENGTH:
                raise too_long(route)
    elif name == "join" and args:
        return (joined(args[0], text, route), *args[1:])
    elif name == "translate" and isinstance(table := arg(0, "table", None), dict):
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
        if len(text) * longest > MAX_LENGTH:
            raise too_long(route)
    return args


#: Builtin types whose attributes :meth:`Sandbox.getattr` judges once per name: exact types only
#: (a subclass may define anything), and never ``str.format``/``format_map``, which Jinja wraps.
_PLAIN_TYPES: Final = frozenset({str, dict, list, tuple})
_FORMAT_METHODS: Final = frozenset({"format", "format_map"})
#: Markup's own public methods that cannot make its text much longer (:meth:`Sandbox.call`'s
#: fast path): by function, so a method of a subclass or any other function is not one of them.
_MARKUP_METHODS: Final = frozenset(
    function
    for name, function in vars(Markup).items()
    if isinstance(function, FunctionType)
    and not name.startswith("_")
    and name not in _GROWING
    and name not in _FORMAT_METHODS
)


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, plus the size and time limits of :mod:`greeter.template_limits`.

    The stock sandbox caps ``range`` only. Here ``*`` and ``**`` are capped,
    and every other way to build a long string or list (``+``, ``%``,
    ``~``, ``str.format``, ``str`` methods that pad or replace, the filters
    that do) stays under :data:`~greeter.template_limits.MAX_LENGTH`; loops,
    calls and includes read the render's clock.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    template_class = LetterTemplate
    code_generator_class = LetterCodeGenerator
    #: What a list, tuple or dict literal holding a variable is compiled through (LetterCodeGenerator).
    weighed = staticmethod(weighed)
    #: How a macro's, a ``{% set %}`` block's or a ``{% filter %}`` block's output is joined (Jinja's
    #: compiled modules read ``environment.concat``): held to MAX_OUTPUT.
    concat = staticmethod(output)

    def wrap_str_format(self, value: Any) -> Any:
        """``str.format``/``format_map`` as Jinja's sandbox wraps them, with :class:`_LimitedFormatter`."""
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text: str = value.__self__
        formatter = (
            _LimitedEscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else _LimitedFormatter(self)
        )
        mapping = value.__name__ == "format_map"

        def limited(*args: Any, **kwargs: Any) -> str:
            if mapping:
                if kwargs or len(args) != 1:
                    return wrapper(*args, **kwargs)  # Jinja's TypeError
                return type(text)(formatter.vformat(text, (), args[0]))
            return type(text)(formatter.vformat(text, args, kwargs))

        return limited

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """A template's syntax tree, each ``{% for %}`` reading its items through the render's clock.

        The loop ``{% for x in items %}`` is compiled as ``{% for x in items|<timed loop>
        %}`` (:func:`~greeter.template_limits.timed`): Jinja allows no node types of
        its own, and a filter whose name has a space is one no template can write.
        """
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, TIMED_LOOP, [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Fast path for the data fields of our own views (read on every line of
        # every letter): they are plain data by construction, so the generic
        # safety checks would only cost time. Anything else takes the full path.
        kind = type(obj)
        fields = VIEW_FIELDS.get(kind)
        if fields is not None and attribute in fields:
            return getattr(obj, attribute)
        if kind is TemplateReference and not attribute.startswith("_"):
            # ``self.subject``: a block by name. It has no public attributes, so the generic
            # path always failed getattr() (an exception per call) before trying this. The
            # reference made as TemplateReference.__getitem__ makes it, without its frame.
            context = obj._TemplateReference__context
            stack = context.blocks.get(attribute)
            if stack is not None:
                return BlockReference(attribute, context, stack, 0)
        if kind is TemplateModule and attribute[:1] != "_":
            # ``brand.footer``, ``brand.contact_line``: what an imported file exports (the layout
            # reads _brand.j2's colours and macros 19 times a letter). Jinja's verdict on a public
            # name of a module is always "safe" (is_internal_attribute: not a function, method,
            # type, frame or generator, no dunder; modifies_known_mutable: not a list, dict, set
            # or deque), so a value that is not a method is returned as Jinja's getattr returns
            # it; a method (a ``str.format`` Jinja wraps), a missing name: the full path.
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if type(value) is not BuiltinMethodType and type(value) is not MethodType:
                return value
            return super().getattr(obj, attribute)
        if (kind in _PLAIN_TYPES or kind is Markup) and attribute not in _FORMAT_METHODS:
            # ``locale.split("_")``, ``words.get(…)`` (the unsubscribe line, every letter), and a
            # Markup's (a layout's preheader: ``self.message()|trim``, split). Jinja's
            # verdict on such an attribute (is_safe_attribute: not internal, modifies no known
            # mutable) depends on the exact type and the name alone, so it is asked once per
            # pair, not once per access; a value and its answer as Jinja's getattr gives them.
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)  # a key read as an attribute, or undefined
            key = (kind, attribute)
            safe = self._safe_attributes.get(key)
            if safe is None:
                safe = self._safe_attributes[key] = self.is_safe_attribute(obj, attribute, value)
            return value if safe else self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # Fast path for Jinja's own callables in a template — ``self.subject()``
        # and macros, about fourteen calls per letter: the generic route asks
        # them whether they are safe and how they want their context, and the
        # answer is always the same (they are Jinja's, and want none).
        check_time()  # every call: a macro calling itself twice has no loop to be stopped in
        kind = type(__obj)
        if kind is BlockReference:
            if not args and kwargs.keys() <= _SCOPE_HINTS:
                return _block_once(__obj)
        elif kind is not Macro:
            if (
                (
                    kind is BuiltinMethodType
                    and type(__obj.__self__) in _PLAIN_TYPES
                    and __obj.__name__ not in _GROWING
                    and __obj.__name__ not in _FORMAT_METHODS
                )
                or (
                    kind is MethodType
                    and __obj.__func__ in _MARKUP_METHODS
                    and type(__obj.__self__) is Markup
                )
                or __obj is safe_range
            ):
                # ``locale.split("_")``, ``words.get(…)``, ``message.split("\n\n")``: six calls a
                # letter. What the route below does for a builtin method of an exact str, dict,
                # list or tuple: Jinja finds it safe to call (it cannot carry ``unsafe_callable``
                # nor ``alters_data``) and passes it no context (nor ``jinja_pass_arg``), so
                # it is called with the scope hints dropped — without the two Python frames
                # and the four attribute probes that find that out. So too for Markup's own
                # methods that cannot grow its text (a layout's preheader:
                # ``(self.message()|trim).split("\n\n")``) and the sandbox's ``range()``
                # (``safe_range``, the preheader's padding): Jinja's functions, that carry
                # neither mark nor ``jinja_pass_arg``; one call each a letter.
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
                try:
                    result = __obj(*args, **kwargs)
                except StopIteration:
                    return __context.environment.undefined(
                        "value was undefined because a callable raised a StopIteration exception"
                    )
                if isinstance(result, WEIGHED):  # ''.split(): as below
                    weighed(result)
                return result
            if (
                (kind is BuiltinMethodType or kind is MethodType)
                and isinstance(__obj.__self__, str)
                and __obj.__name__ in _GROWING
            ):
                args = _str_method_args(__obj, args, kwargs)
            result = super().call(__context, __obj, *args, **kwargs)
            if isinstance(result, WEIGHED):  # dict(a=x, b=x), namespace(…), ''.split()
                weighed(result)
            return result
        elif (
            kwargs.keys() <= _SCOPE_HINTS
            and len(args) <= __obj._argument_count
            and not (__obj.caller or __obj.catch_kwargs or __obj.catch_varargs)
        ):
            # What Macro.__call__ does with positional arguments only (greeter's environments
            # are not async): the ones not given are ``missing`` (the macro applies its
            # defaults), and the text (a macro returns a str) is Markup when its template escapes.
            # A pure helper macro's text for the same arguments is made once (template_memo).
            key = __self._memo.key(__obj, args)
            if key is not None and (done := __self._memo.get(key)) is not None:
                return done
            count = __obj._argument_count
            text = (
                __obj._func(*args, *(missing,) * (count - len(args)))
                if len(args) < count
                else __obj._func(*args)
            )
            done = markup(text) if __obj._default_autoescape else text
            if key is not None:
                __self._memo.keep(key, done)
            return done
        kwargs.pop("_block_vars", None)  # scope hints for context functions; these take none
        kwargs.pop("_loop_vars", None)
        return __obj(*args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Templates loaded without globals, by name (see :meth:`get_template`).
        self._loaded: dict[str, Template] = {}
        #: Jinja's verdict on an attribute of a :data:`_PLAIN_TYPES` value by type and name (getattr).
        self._safe_attributes: dict[tuple[type, str], bool] = {}
        #: The texts of helper macros that are functions of their arguments (:meth:`call`).
        self._memo = MacroMemo()
        #: Whether a file (by name) is pure, as its owner already knows it without a parse: the
        #: renderer's templates read it from the file's shape (:attr:`~greeter.template_shape.Shape.pure`,
        #: kept on disk with it). None: :meth:`module_made` parses the file to find out.
        self.purity: Callable[[str], bool] | None = None

    def module_made(self, template: Template, module: TemplateModule) -> None:
        """``template``'s cached module was made (:class:`~greeter.template_codegen.LetterTemplate`):
        its macros' texts are kept from now on if its file is pure (:mod:`greeter.template_memo`).

        Asked of :attr:`purity` when set: parsing the helper files a letter imports for it
        (``_ru.j2``, ``_brand.j2``, ``_unsubscribe.j2``) was ~40 ms of each ``send``'s
        start-up before its first letter, compiled templates and shapes coming from the cache.
        """
        name = template.name
        try:
            if self.purity is not None and name:
                pure = self.purity(name)
            else:
                source = self.loader.get_source(self, name)[0] if self.loader and name else None
                pure = source is not None and pure_file(syntax_tree(source, name))  # type: ignore[arg-type]
        except Exception:  # unreadable or unparsable now: its macros are simply not kept
            pure = False
        self._memo.register(module, pure)

    def get_template(
        self,
        name: str | Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """A compiled template by name; the ones loaded before without globals from a dict of our own.

        ``{% from "_ru.j2" import … %}`` looks its file up on every render of the
        block (twice a letter). Jinja's way there builds a weak reference and a
        cache key each time to find the same template: this environment never
        reloads (``auto_reload=False``) nor forgets (``cache_size=-1``) what it
        compiled (make_environment; with other settings nothing is kept here), and
        ``join_path`` is Jinja's identity, so the name alone finds it.
        """
        check_time()  # an include or import: a file that includes itself twice recurses without a loop
        if not globals and type(name) is str:
            template = self._loaded.get(name)
            if template is not None:
                return template
        return super().get_template(name, parent, globals)

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> Template:
        template = super()._load_template(name, globals)
        if not globals and not self.auto_reload and type(self.cache) is dict:  # never reloaded nor evicted
            self._loaded[name] = template
        return template

    def call_self_block(__self, __context: Context, __obj: Any, __name: str, **kwargs: Any) -> Any:
        """``self.<name>()`` as compiled by the code generator: the block, once per letter part.

        (:class:`~greeter.template_codegen.LetterCodeGenerator`.) For a ``self``
        that is the template reference of a :class:`LetterContext`
        and a block it has, what ``call(getattr(self, name))`` returns (see
        :func:`_block_once`), without the reference made and the two sandbox
        steps; for anything else, those two steps.
        """
        if type(__obj) is TemplateReference:
            context = __obj._TemplateReference__context  # type: ignore[attr-defined]
            if type(context) is LetterContext:
                key = (__name, 0)
                done = context.rendered.get(key)
                if done is not None:
                    return done
                stack = context.blocks.get(__name)
                if stack is not None:  # as _block_once renders BlockReference(__name, context, stack, 0)
                    text = output(stack[0](context), f"block {__name!r}")
                    done = markup(text) if context.eval_ctx.autoescape else text
                    context.rendered[key] = done  # an error propagates and nothing is kept
                    return done
        return __self.call(__context, __self.getattr(__obj, __name), **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int):
                    if len(seq) * count > MAX_LENGTH:
                        raise too_long("'*'")
                    if (  # [[0] * 100000] * 100000: 30 GB of text
                        type(seq) is not str
                        and any(isinstance(i, WEIGHED) for i in seq)
                        and weight(seq) * count > MAX_LENGTH
                    ):
                        raise too_long("'*'")
            if (  # squaring in a loop doubles the digits
                type(left) is int
                and type(right) is int
                and left.bit_length() + right.bit_length() > _MAX_POWER_BITS
            ):
                raise OverflowError(f"'*' result would exceed {_MAX_POWER_BITS} bits")
            return left * right
        if operator == "+":
            result = left + right  # each side is within the limit: at most twice it is built
            if isinstance(result, str | list | tuple):
                bounded(result, "'+'")
                if type(result) is not str:
                    weighed(result, "'+'")
            return result
        if operator == "%":
            if isinstance(left, str):  # formatting, not a remainder: the widths are checked first
                percent_checked(left, right, "'%'")
                return bounded(left % right, "'%'")
            return left % right
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                bits = max(abs(left), 1).bit_length() * right
                if bits > _MAX_POWER_BITS:
                    raise OverflowError(f"'**' result would exceed {_MAX_POWER_BITS} bits")
            return left**right
        return super().call_binop(context, operator, left, right)


def make_environment(loader: BaseLoader, *, html: bool, code: BytecodeCache | None = None) -> Sandbox:
    """One of the renderer's two environments: identical except for ``autoescape``.

    Why two environments rather than one with an ``autoescape`` callback: Jinja
    decides escaping per template *name* at compile time, but here one file
    holds both the text and the HTML part, and the HTML part pulls in layouts
    and macro files by their own names. A callback would have to guess from
    each name whether it is "HTML" (``_ru.j2`` used inside the html block is
    not named like HTML), and one wrong guess ships unescaped client data.
    With two environments the question never arises: everything compiled for
    the html block — the file, what it extends, includes and imports — is
    compiled with escaping, everything for subject and text without. The cost
    is compiling each file twice, once per process — or none, when ``code``
    (:class:`~greeter.template_code.TemplateCode`, one per environment) has it.
    """
    env = Sandbox(
        loader=loader,
        autoescape=html,
        undefined=StrictUndefined,
        finalize=finalize_printed,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # never stat files per render: templates are compiled once
        cache_size=-1,  # …and kept for the life of the process
        extensions=[_NoAutoescapeTag],
        bytecode_cache=code,
    )
    env.filters.pop("safe", None)  # the one filter that would switch escaping off for a value
    env.globals["lipsum"] = _lipsum
    env.filters.update(FILTERS)
    env.filters[TIMED_LOOP] = timed
    return env


# --------------------------------------------------------------------------- reading a file's tree


#: How many (file, source) trees :func:`syntax_tree` keeps (and token lists :func:`syntax_tokens`):
#: a templates folder's files many times over.
_TREES_KEPT: Final = 512
#: One token of :func:`syntax_tokens`: (line, token type, value), as ``Environment.lex`` yields it.
Lexed = tuple[int, str, str]


@functools.lru_cache(maxsize=1)
def _reader() -> Sandbox:
    """The renderer's syntax (its extensions, trim settings), for reading trees: never compiles or runs."""
    return make_environment(DictLoader({}), html=False)


@functools.lru_cache(maxsize=_TREES_KEPT)
def _tree_or_error(source: str, name: str) -> nodes.Template | TemplateSyntaxError:
    """The memo behind :func:`syntax_tree`; a syntax error is kept too (lru_cache keeps no exceptions)."""
    try:
        return _reader().parse(source, name)
    except TemplateSyntaxError as error:
        return error


def syntax_tree(source: str, name: str) -> nodes.Template:
    """Template file ``name``'s syntax tree as the renderer parses it; raises its TemplateSyntaxError.

    Why one memo for all of ``greeter check``: its file checks (what a file
    references, whether a letter prints ``also``, the logo's alt text, the
    grammatical cases asked) each read the same files' trees, and parsing
    them once per check instead of once per check *each* was ~2.6 parses per
    file, a third of ``check``'s time on the example project. Keyed by the
    name and the text itself, so an edited file is parsed afresh and a tree
    never outlives its source's meaning. The tree is shared: read it, never
    alter it (compiling alters a tree, so the renderer parses its own).
    """
    found = _tree_or_error(source, name)
    if isinstance(found, TemplateSyntaxError):
        raise found.with_traceback(None)
    return found


@functools.lru_cache(maxsize=_TREES_KEPT)
def _tokens_or_error(source: str, name: str | None) -> tuple[Lexed, ...] | TemplateSyntaxError:
    """The memo behind :func:`syntax_tokens`; a lexing error is kept too, as in :func:`_tree_or_error`."""
    try:
        return tuple(_reader().lex(source, name))
    except TemplateSyntaxError as error:
        return error


def syntax_tokens(source: str, name: str | None = None) -> tuple[Lexed, ...]:
    """Template file ``name``'s raw tokens as the renderer's lexer reads it; raises its TemplateSyntaxError.

    Raw as ``Environment.lex`` gives them (whitespace and ``block_end`` tokens
    kept, with the line break ``trim_blocks`` eats), for the checks that read
    the source's layout rather than its tree: a paragraph break eaten
    (:mod:`greeter.template_breaks`), a mail header at a block's top
    (:mod:`greeter.template_headers`). They lexed every file once each; one
    memo, keyed as :func:`syntax_tree`'s, lexes it once for both.
    """
    found = _tokens_or_error(source, name)
    if isinstance(found, TemplateSyntaxError):
        raise found.with_traceback(None)
    return found
