"""A faster ``__init__`` for the frozen, slotted dataclasses built by the million.

The ``__init__`` that :mod:`dataclasses` writes for a frozen class stores each
field with ``object.__setattr__(self, name, value)`` (its own ``__setattr__``
refuses): a generic attribute look-up per field. For the records a plan builds
per contact and per occasion — :class:`~greeter.contacts.Contact` (22 fields),
:class:`~greeter.plan_types.Hit` and :class:`~greeter.plan_types.PlanItem` —
that was a fifth of the planner's time.

:func:`slots_init` replaces it with one that makes the new instance, for the
length of its ``__init__``, an instance of an *open twin*: a subclass that adds
no slots (so the two layouts are one and ``__class__`` may be assigned) and
takes back ``object``'s own ``__setattr__``/``__delattr__``. Stores to an open
twin's slots are plain ``self.name = value``, which CPython specialises to a
direct slot write; the instance is then given its class back. Under callgrind
a :class:`~greeter.contacts.Contact` cost 17,100 instructions to build through
each slot's descriptor (the store ``object.__setattr__`` ends in) and 6,000
so. The twin is put on through ``__class__``'s own setter
(``object.__dict__["__class__"].__set__``), not ``object.__setattr__``: that
skips the generic attribute look-up and its sanity check, some 430 of the
4,960 instructions a :class:`~greeter.plan_types.Hit` cost (callgrind; the
same setter for the way back cost more than the plain store, which the twin's
``object.__setattr__`` makes a direct one). Nobody sees the twin: the instance
leaves ``__init__`` as what it was made as, still frozen (its class's
``__setattr__`` refuses), compared, hashed, copied and
``dataclasses.replace``-d as before. An instance of a subclass (none exists
in greeter) keeps its own class: it is filled through the descriptors, as
before.

The same parameters and defaults as the generated ``__init__`` (checked when
the class is decorated).

:func:`maker` gives the class's *factory*: a plain function with those
parameters that makes the instance as an open twin (``object.__new__``), fills
it and hands it back as the class — the same instance ``cls(...)`` makes,
without ``type.__call__`` (which looks up and calls ``__new__`` and
``__init__``) and without the ``__class__`` setter call on the way in.
Under callgrind a :class:`~greeter.plan_types.Hit` cost 4,360 instructions
through ``Hit(...)`` and about 3,000 so; the planner makes some seven hits
and six plan items per contact, the loader a contact per row.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from greeter.generated_code import compiled

__all__ = ["maker", "slots_init"]

_T = TypeVar("_T")
_P = ParamSpec("_P")

#: Each :func:`slots_init` class's factory (see :func:`maker`).
_MAKERS: dict[type, Callable[..., Any]] = {}


def maker(cls: Callable[_P, _T]) -> Callable[_P, _T]:
    """The factory of a :func:`slots_init` class: called as the class is, it returns an equal,
    identical-in-every-field instance of exactly that class, made faster (see the module docstring).

    For the hot loops that build millions of records; everywhere else ``cls(...)`` reads better.
    """
    return _MAKERS[cls]  # type: ignore[index]


def slots_init(cls: type[_T]) -> type[_T]:
    """Give ``cls`` (a frozen, slotted dataclass without ``__post_init__``) the fast ``__init__``.

    The code is generated, as :mod:`dataclasses` generates its own: a
    parameter per field, in order, with its default; a ``default_factory``
    runs when its argument is not given.
    """
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    if not (params.frozen and "__slots__" in cls.__dict__) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: slots_init takes a frozen, slotted dataclass without __post_init__")
    twin = type(f"_Open{cls.__name__}", (cls,), {
        "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
        "__module__": cls.__module__, "__qualname__": f"{cls.__qualname__}._Open",
    })  # fmt: skip
    env: dict[str, Any] = {"_MISSING": dataclasses.MISSING, "_cls": cls, "_twin": twin}
    env["_reclass"] = object.__dict__["__class__"].__set__
    env["_new"] = object.__new__
    args: list[str] = []
    factories: list[str] = []
    stores: list[str] = []
    slow: list[str] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: slots_init takes only plain positional fields")
        name = f.name
        env[f"_set_{name}"] = cls.__dict__[name].__set__
        if f.default is not dataclasses.MISSING:
            env[f"_default_{name}"] = f.default
            args.append(f"{name}=_default_{name}")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_factory_{name}"] = f.default_factory
            args.append(f"{name}=_MISSING")
            factories.append(f"    if {name} is _MISSING:\n        {name} = _factory_{name}()")
        else:
            args.append(name)
        stores.append(f"    self.{name} = {name}")
        slow.append(f"        _set_{name}(self, {name})")
    body = [
        *factories,
        "    if type(self) is not _cls:  # a subclass's instance: through the descriptors, keeping its class",
        *slow,
        "        return",
        "    _reclass(self, _twin)",
        *stores,
        "    self.__class__ = _cls",
    ]
    source = f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body) + "\n"
    made = [*factories, "    self = _new(_twin)", *stores, "    self.__class__ = _cls", "    return self"]
    source += f"def _make({', '.join(args)}):\n" + "\n".join(made) + "\n"
    # Generated from the dataclass's own field names, as dataclasses does; compiled once, kept
    # with dataclasses' own generated code (greeter.generated_code).
    exec(compiled(source), env)
    init = env["__init__"]
    make = env["_make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    make.__module__ = cls.__module__
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    before = inspect.signature(cls.__init__)
    after = inspect.signature(init)
    same = [(p.name, p.kind) for p in before.parameters.values()] == [
        (p.name, p.kind) for p in after.parameters.values()
    ]
    if not same:
        raise TypeError(f"{cls.__name__}: the fast __init__ would not take the same arguments")
    if [(p.name, p.kind) for p in inspect.signature(make).parameters.values()] != [
        (p.name, p.kind) for p in list(after.parameters.values())[1:]
    ]:
        raise TypeError(f"{cls.__name__}: the factory would not take the same arguments")
    type.__setattr__(cls, "__init__", init)
    _MAKERS[cls] = make
    return cls
