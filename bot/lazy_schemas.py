"""Import aiogram with its Bot API models compiled on first use instead of all at import.

Why: compiling a pydantic model builds its Rust validator and serializer, and aiogram compiles all of
its ~600 Telegram types and ~170 Bot API methods at import: about 105 MB of resident memory per process
(upstream aiogram#1513), mostly for things this bot never sees (payments, stickers, business accounts…).

- Types: aiogram marks them `defer_build=True`, but `aiogram/types/__init__.py` then calls
  `model_rebuild()` on each to resolve its forward references, and a rebuild also compiles. While
  aiogram is being imported we answer those calls by resolving the type's field annotations against
  the namespace aiogram passes (cheap, pure Python) and leave compiling to pydantic's deferred build,
  which runs the first time the type is validated or serialised. With every field already resolved,
  that later build needs no namespace, whichever model reaches the type first (an `Update`, a method's
  `Response[...]`, a keyboard we construct).
- Methods: classes defined in `aiogram.methods.*` get `defer_build=True` added to their config as
  they are created, so `SendMessage` compiles when the bot first sends a message.

It leans on pydantic internals (`rebuild_model_fields`, `NsResolver`, `ConfigWrapper.for_model`). If
they are missing, or a type cannot be resolved this way, that model is simply compiled at import as
aiogram intends: memory is lost, correctness never. tests/bot/test_lazy_schemas.py pins both sides.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel

log = logging.getLogger(__name__)

_TYPES_MODULE_PREFIX = "aiogram.types."
_METHODS_MODULE_PREFIX = "aiogram.methods."


def _field_resolver() -> Callable[[type[BaseModel], Mapping[str, Any]], None] | None:
    """A function that resolves a model's field annotations in a namespace, or None if pydantic lacks the parts."""
    try:
        from pydantic._internal._config import ConfigWrapper
        from pydantic._internal._fields import rebuild_model_fields
        from pydantic._internal._generics import get_model_typevars_map
        from pydantic._internal._namespace_utils import NsResolver
    except ImportError:
        return None

    def resolve(cls: type[BaseModel], namespace: Mapping[str, Any]) -> None:
        rebuilt = rebuild_model_fields(
            cls,
            config_wrapper=ConfigWrapper(cls.model_config, check=False),
            ns_resolver=NsResolver(parent_namespace=dict(namespace)),
            typevars_map=get_model_typevars_map(cls),
        )
        # pydantic 2.13 returns (fields, extra_info); earlier versions return the fields alone.
        if isinstance(rebuilt, tuple):
            cls.__pydantic_fields__, cls.__pydantic_extra_info__ = rebuilt
        else:
            cls.__pydantic_fields__ = rebuilt

    return resolve


@contextlib.contextmanager
def _methods_defined_deferred() -> Iterator[None]:
    """While active, pydantic models defined in `aiogram.methods.*` are created with `defer_build=True`."""
    try:
        from pydantic._internal._config import ConfigWrapper
    except ImportError:
        yield
        return
    original = ConfigWrapper.__dict__["for_model"]

    def for_model(
        cls: type[ConfigWrapper], bases: Any, namespace: dict[str, Any], raw_annotations: Any, kwargs: Any
    ) -> ConfigWrapper:
        wrapper = original.__func__(cls, bases, namespace, raw_annotations, kwargs)
        if str(namespace.get("__module__", "")).startswith(_METHODS_MODULE_PREFIX):
            wrapper.config_dict["defer_build"] = True
        return wrapper

    ConfigWrapper.for_model = classmethod(for_model)  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        ConfigWrapper.for_model = original  # type: ignore[method-assign]


def import_aiogram_lazily() -> bool:
    """Import aiogram so that its Telegram types and methods compile on first use. True if deferral is in effect.

    Must run before anything else imports aiogram: each entry point (app.cli.main, benches, tests) calls it first.
    """
    if "aiogram.types" in sys.modules:
        return False  # someone imported aiogram first: its types are already compiled
    resolve = _field_resolver()
    if resolve is None:
        log.debug("pydantic internals not found: aiogram types are compiled at import")
        importlib.import_module("aiogram")
        return False
    original = BaseModel.__dict__["model_rebuild"]
    rebuild_eagerly = original.__func__
    deferred = 0

    def rebuild(
        cls: type[BaseModel],
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Mapping[str, Any] | None = None,
    ) -> bool | None:
        nonlocal deferred
        namespace = _types_namespace
        wanted_eager = force or namespace is None or not cls.model_config.get("defer_build")
        if wanted_eager or namespace is None or not cls.__module__.startswith(_TYPES_MODULE_PREFIX):
            return rebuild_eagerly(
                cls,
                force=force,
                raise_errors=raise_errors,
                _parent_namespace_depth=_parent_namespace_depth + 1,
                _types_namespace=_types_namespace,
            )
        if cls.__pydantic_complete__ or cls.__pydantic_fields_complete__:
            return None
        try:
            resolve(cls, namespace)
        except Exception:  # any surprise means: build this one the way aiogram intended
            log.debug("deferring %s failed; compiling it now", cls.__qualname__, exc_info=True)
            return rebuild_eagerly(cls, raise_errors=raise_errors, _types_namespace=namespace)
        if not cls.__pydantic_fields_complete__:
            return rebuild_eagerly(cls, raise_errors=raise_errors, _types_namespace=namespace)
        deferred += 1
        return None

    BaseModel.model_rebuild = classmethod(rebuild)  # type: ignore[assignment,method-assign]
    try:
        with _methods_defined_deferred():
            importlib.import_module("aiogram")
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    log.debug("aiogram imported with %d Telegram types left to compile on first use", deferred)
    return deferred > 0
