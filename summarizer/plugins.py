"""Backends are plugins, found through the ``summarizer.backends`` entry-point group.

A package adds a backend without touching this one: it registers, under the group, a
factory, a callable that takes keyword options and returns a
:class:`~summarizer.backends.Backend`. The factory's signature is the backend's list of
options (names, types, defaults) and its docstring's first line is its description; both
show in ``summarizer backends``. The embedded and OpenAI-compatible backends register in
``pyproject.toml`` the same way.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError

if TYPE_CHECKING:
    from .backends import Backend

GROUP = "summarizer.backends"
#: this package's own entries in GROUP, as pyproject.toml declares them: also found when the
#: installed metadata predates them (a checkout on PYTHONPATH, an older editable install)
BUILT_IN = {
    "embedded": "summarizer.backends:embedded",
    "openai": "summarizer.backends:openai_compatible",
}

Factory = Callable[..., "Backend"]


@dataclass(frozen=True)
class BackendOption:
    """One keyword option of a backend factory."""

    name: str
    kind: type  # what a command-line value is converted to: str, int, float or bool
    default: Any
    required: bool

    def describe(self) -> str:
        default = "required" if self.required else f"default {self.default!r}"
        return f"{self.name} ({self.kind.__name__}, {default})"

    def convert(self, value: Any) -> Any:
        """A command-line string as this option's type; other values are passed as they are."""
        if not isinstance(value, str) or self.kind is str:
            return value
        if self.kind is bool:
            if value.lower() in ("1", "true", "yes", "on"):
                return True
            if value.lower() in ("0", "false", "no", "off"):
                return False
            raise ConfigurationError(f"option {self.name} takes true or false, not {value!r}")
        try:
            return self.kind(value)
        except ValueError:
            raise ConfigurationError(
                f"option {self.name} takes a {self.kind.__name__}, not {value!r}"
            ) from None


def _kind(factory: Factory, parameter: inspect.Parameter) -> type:
    """bool, int or float when the annotation allows one, else str (paths, names, URLs)."""
    annotation = parameter.annotation
    if isinstance(annotation, str):  # postponed: evaluated where the factory was written
        namespace = getattr(factory, "__globals__", None) or vars(sys.modules[factory.__module__])
        try:
            annotation = eval(annotation, namespace)  # noqa: S307 - what typing.get_type_hints does
        except Exception:  # noqa: BLE001 - an annotation that does not resolve: go by the default
            annotation = type(parameter.default)
    choices = typing.get_args(annotation) or (annotation,)
    return next((kind for kind in (bool, int, float) if kind in choices), str)


@dataclass(frozen=True)
class BackendPlugin:
    """An installed backend: its name, where its factory is, and which distribution brings it."""

    name: str
    value: str  # "module:attribute"
    distribution: str

    def factory(self) -> Factory:
        module, _, attribute = self.value.partition(":")
        try:
            found: Any = importlib.import_module(module)
            for part in attribute.split(".") if attribute else ():
                found = getattr(found, part)
        except (ImportError, AttributeError) as exc:
            raise ConfigurationError(
                f"backend {self.name!r} (from {self.distribution}) cannot be loaded: {exc}"
            ) from exc
        if not callable(found):
            raise ConfigurationError(f"backend {self.name!r}: {self.value} is not callable")
        return typing.cast(Factory, found)

    def description(self) -> str:
        doc = inspect.getdoc(self.factory()) or ""
        return doc.split("\n\n")[0].replace("\n", " ")

    def options(self) -> list[BackendOption]:
        """The factory's keyword options (a ``**options`` catch-all takes any further ones)."""
        factory = self.factory()
        return [
            BackendOption(
                name,
                _kind(factory, p),
                None if p.default is p.empty else p.default,
                p.default is p.empty,
            )
            for name, p in inspect.signature(factory).parameters.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]

    def takes_any_option(self) -> bool:
        parameters = inspect.signature(self.factory()).parameters.values()
        return any(p.kind is p.VAR_KEYWORD for p in parameters)


def installed_backends() -> dict[str, BackendPlugin]:
    """Every backend installed, by name; nothing is imported until one is made."""
    found: dict[str, BackendPlugin] = {}
    for entry in importlib.metadata.entry_points(group=GROUP):
        distribution = entry.dist.name if entry.dist is not None else "unknown"
        found.setdefault(entry.name, BackendPlugin(entry.name, entry.value, distribution))
    for name, value in BUILT_IN.items():
        found.setdefault(name, BackendPlugin(name, value, "summarizer"))
    return found


def make_backend(name: str = "embedded", **options: Any) -> Backend:
    """A backend by its registered name, from keyword options (the CLI's and the Python API's).

    Options left at None are not passed, so the factory's defaults apply; an option the
    backend does not take is an error that lists the ones it does. Strings are converted to
    the option's type (``timeout="30"`` is 30.0), as the command line gives them.
    """
    from .backends import Backend

    plugins = installed_backends()
    plugin = plugins.get(name)
    if plugin is None:
        raise ConfigurationError(
            f"unknown backend {name!r}; installed: {', '.join(sorted(plugins))} "
            "(a backend is a package registered under the summarizer.backends entry points)"
        )
    known = {option.name: option for option in plugin.options()}
    given = {key: value for key, value in options.items() if value is not None}
    unknown = sorted(set(given) - set(known))
    if unknown and not plugin.takes_any_option():
        raise ConfigurationError(
            f"backend {name!r} takes no option {', '.join(unknown)}; its options: "
            f"{', '.join(o.describe() for o in known.values()) or 'none'}"
        )
    missing = [o.name for o in known.values() if o.required and o.name not in given]
    if missing:
        raise ConfigurationError(f"backend {name!r} needs the option(s) {', '.join(missing)}")
    arguments = {
        key: known[key].convert(value) if key in known else value for key, value in given.items()
    }
    backend = plugin.factory()(**arguments)
    if not isinstance(backend, Backend):
        raise ConfigurationError(
            f"backend {name!r}: {plugin.value} returned a {type(backend).__name__}, not a Backend"
        )
    return backend
