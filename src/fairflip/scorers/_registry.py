"""Scorers by name: the built-in ones, installed packages' (entry points) and a session's.

A name resolves, in this order, to a built-in scorer, a scorer registered in this session
with :func:`register_scorer`, or one an installed package declares in the entry-point group
``fairflip.scorers`` (``name = "package.module:ClassName"``). Only a subclass of
:class:`~fairflip.scorers.BaseScorer` is accepted, checked with ``issubclass`` before the
class is ever called. A session registration records the class's import path, so a worker
process (loky, Dask) re-imports the class by that path (:func:`restore_registrations`).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..exceptions import ConfigError
from ._base import BaseScorer
from ._influence import InfluenceScorer
from ._knn import RBDistScorer, RBLabelScorer
from ._prob import RBProbScorer
from ._random import OracleScorer, RandomScorer

__all__ = ["ENTRY_POINT_GROUP", "ScorerInfo", "available_scorers", "check_parallel", "grid_traits",
           "is_scorer_name", "method_name", "scorer_names", "protocol_kwargs",
           "register_scorer", "restore_registrations", "scorer_class", "scorer_info",
           "session_registrations", "unregister_scorer"]

#: The entry-point group installed packages declare their scorers in.
ENTRY_POINT_GROUP = "fairflip.scorers"

BUILTIN_CLASSES = {"rb-prob": RBProbScorer, "rb-label": RBLabelScorer, "rb-dist": RBDistScorer,
                   "random": RandomScorer, "oracle": OracleScorer, "influence": InfluenceScorer}


@dataclass(frozen=True)
class ScorerInfo:
    """Where a scorer name comes from.

    ``source`` is ``"built-in"``, ``"entry point"`` or ``"session"``; ``target`` the
    class's import path (``"module:QualName"``); ``package``/``package_version`` the
    distribution that provides it (an entry point's, or the installed distribution of a
    session class's top-level module; ``""`` when none); ``root`` the folder a worker puts on
    ``sys.path`` before importing a session class (``""`` when not needed).
    """

    name: str
    source: str
    target: str
    package: str = ""
    package_version: str = ""
    algorithm_version: int = 1
    root: str = ""
    note: str = ""


# name -> (ScorerInfo, class)
_SESSION: dict[str, tuple[ScorerInfo, type]] = {}


def _target(cls) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _check_class(cls, name) -> type:
    if not (isinstance(cls, type) and issubclass(cls, BaseScorer)):
        raise ConfigError(f"The 'cls' parameter of scorer {name!r} must be a subclass of "
                          f"fairflip.scorers.BaseScorer. Got {cls!r} instead.")
    return cls


def _check_name(name) -> str:
    if not isinstance(name, str) or not name or name != name.strip() or "=" in name \
            or "," in name:
        raise ConfigError(f"The 'name' parameter must be a non-empty name without spaces at "
                          f"its ends, '=' or ','. Got {name!r} instead.")
    return name


def _distribution_of(module: str) -> tuple[str, str]:
    """(distribution name, version) that installs the top-level package of ``module``."""
    from importlib.metadata import packages_distributions, version

    top = module.split(".")[0]
    dists = packages_distributions().get(top, [])
    if not dists:
        return "", ""
    try:
        return dists[0], version(dists[0])
    except Exception:  # noqa: BLE001 - a broken distribution's metadata: no version
        return dists[0], ""


def _module_root(cls) -> str:
    """The folder to put on ``sys.path`` so ``cls.__module__`` imports (empty if unknown)."""
    module = sys.modules.get(cls.__module__)
    file = getattr(module, "__file__", None)
    if not file:
        return ""
    path = Path(file).resolve()
    parts = cls.__module__.split(".")
    root = path.parent if path.name != "__init__.py" else path.parent.parent
    for _ in parts[1:]:
        root = root.parent
    return str(root)


def register_scorer(name: str, cls: type, *, replace: bool = False) -> ScorerInfo:
    """Make ``cls`` available as the method ``name`` in this session.

    Everything that takes a method name then accepts ``name``: :func:`fairflip.evaluate`,
    :func:`fairflip.collective.rank_collective`, :class:`~fairflip.organiser.CollectiveRelabeler`,
    :func:`fairflip.advise`, :func:`fairflip.plan_from_tables`, sweep configs' ``methods``
    and ``fairflip reproduce --method`` (Python API). The class's import path is recorded, so
    a parallel sweep's workers import it again; a class defined in ``__main__`` (a script or
    notebook) can be used in one process only, and a parallel sweep refuses it.

    Parameters
    ----------
    name : str
        The method name (not a built-in one; its seeds are keyed on it).
    cls : type
        A subclass of :class:`~fairflip.scorers.BaseScorer` (checked before it is called).
    replace : bool, default=False
        Replace an earlier session registration of ``name``.

    Returns
    -------
    ScorerInfo

    Examples
    --------
    >>> import numpy as np
    >>> from fairflip.scorers import BaseScorer
    >>> class Constant(BaseScorer):
    ...     def _fit(self, X, y):
    ...         pass
    ...     def _score(self, X, index):
    ...         return np.zeros(X.shape[0])
    >>> register_scorer("constant-demo", Constant).source
    'session'
    >>> unregister_scorer("constant-demo")
    """
    name = _check_name(name)
    cls = _check_class(cls, name)
    if name in BUILTIN_CLASSES:
        raise ConfigError(f"The 'name' parameter must not be a built-in scorer's name. "
                          f"Got {name!r} instead.")
    if name in _SESSION and not replace:
        raise ConfigError(f"The scorer name {name!r} is already registered in this session "
                          "(pass replace=True to replace it).")
    package, version = _distribution_of(cls.__module__)
    info = ScorerInfo(name, "session", _target(cls), package, version,
                      int(cls.algorithm_version),
                      "" if cls.__module__ == "__main__" else _module_root(cls))
    _SESSION[name] = (info, cls)
    return info


def unregister_scorer(name: str) -> None:
    """Forget a session registration (no error if ``name`` is not registered)."""
    _SESSION.pop(name, None)


_EP_CACHE: dict[tuple, dict] = {}


def _entry_points() -> dict:
    """The group's entry points, scanned once per ``sys.path`` (a folder added at run time,
    as a test's ``*.dist-info``, is seen on the next look-up)."""
    from importlib.metadata import entry_points

    key = tuple(sys.path)
    if key not in _EP_CACHE:
        _EP_CACHE.clear()
        _EP_CACHE[key] = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return _EP_CACHE[key]


def _load_entry_point(ep) -> tuple[ScorerInfo, type]:
    module, _, attr = ep.value.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"The scorer {ep.name!r} (entry point {ep.value!r}) cannot be "
                          f"imported: {exc}.") from None
    cls = _check_class(obj, ep.name)
    dist = getattr(ep, "dist", None)
    package = "" if dist is None else dist.metadata["Name"] or ""
    version = "" if dist is None else dist.version or ""
    return ScorerInfo(ep.name, "entry point", ep.value, package, version,
                      int(cls.algorithm_version)), cls


def _lookup(name) -> tuple[ScorerInfo, type] | None:
    if not isinstance(name, str):
        return None
    if name in BUILTIN_CLASSES:
        cls = BUILTIN_CLASSES[name]
        return ScorerInfo(name, "built-in", _target(cls), "fairflip", _fairflip_version(),
                          int(cls.algorithm_version)), cls
    if name in _SESSION:
        return _SESSION[name]
    eps = _entry_points()
    if name in eps:
        return _load_entry_point(eps[name])
    return None


def _fairflip_version() -> str:

    return __version__


def scorer_names() -> tuple[str, ...]:
    """Every scorer name available here: built-in, this session's, entry points'."""
    return tuple(dict.fromkeys([*BUILTIN_CLASSES, *_SESSION, *_entry_points()]))


def _names_text() -> str:
    return ", ".join(scorer_names())


def scorer_info(name: str) -> ScorerInfo:
    """Where the scorer ``name`` comes from (ConfigError naming the known ones if unknown)."""
    found = _lookup(name)
    if found is None:
        raise ConfigError(f"The 'method' parameter must be one of {_names_text()} (or a "
                          f"BaseScorer instance). Got {name!r} instead.")
    return found[0]


def scorer_class(name: str) -> type:
    """The scorer class registered as ``name``."""
    found = _lookup(name)
    if found is None:
        scorer_info(name)  # raises
    return found[1]


def is_scorer_name(name) -> bool:
    """Whether ``name`` names a scorer (built-in, session or entry point)."""
    try:
        return _lookup(name) is not None
    except ConfigError:
        return False


def method_name(method) -> str:
    """The name a method is recorded under: a name as given (checked), or for a scorer
    instance the name its class is registered under, else its class name."""
    if isinstance(method, BaseScorer):
        cls = type(method)
        for name, (_, registered) in _SESSION.items():
            if registered is cls:
                return name
        for name, known in BUILTIN_CLASSES.items():
            if known is cls:
                return name
        return cls.__name__
    if isinstance(method, type):
        raise ConfigError(f"The 'method' parameter must be a scorer name or a BaseScorer "
                          f"instance, not a class. Got {method.__name__} instead.")
    scorer_info(method)
    return method


def available_scorers() -> list[ScorerInfo]:
    """Every scorer name available here: built-in, then this session's, then entry points."""
    out = [scorer_info(name) for name in BUILTIN_CLASSES]
    out += [info for info, _ in _SESSION.values()]
    for name, ep in _entry_points().items():
        if name in BUILTIN_CLASSES or name in _SESSION:
            continue
        try:
            out.append(_load_entry_point(ep)[0])
        except ConfigError as exc:
            out.append(ScorerInfo(name, "entry point", ep.value,
                                  note=str(exc).splitlines()[0]))
    return out


def session_registrations() -> tuple[tuple[str, str, str], ...]:
    """This session's registrations as ``(name, "module:QualName", root)`` (picklable)."""
    return tuple((info.name, info.target, info.root) for info, _ in _SESSION.values())


def restore_registrations(registrations) -> None:
    """Register again, in a worker process, the scorers of :func:`session_registrations`.

    Each class is imported by its path (its ``root`` folder goes on ``sys.path`` first when
    the module is not importable otherwise).
    """
    for name, target, root in registrations:
        if name in _SESSION and _SESSION[name][0].target == target:
            continue
        module, _, qualname = target.partition(":")
        if module == "__main__":
            raise ConfigError(f"The scorer {name!r} is defined in __main__ (a script or "
                              "notebook) and cannot be imported by a worker process: move it "
                              "to a module, or run with n_jobs=1.")
        try:
            mod = importlib.import_module(module)
        except ImportError:
            if not root or root in sys.path:
                raise
            sys.path.append(root)
            mod = importlib.import_module(module)
        obj = mod
        for part in qualname.split("."):
            obj = getattr(obj, part)
        register_scorer(name, obj, replace=True)


def check_parallel(methods, *, parallel: bool) -> None:
    """Refuse (one line) a parallel run of a session scorer defined in ``__main__``."""
    if not parallel:
        return
    for method in methods:
        if isinstance(method, str) and method in _SESSION \
                and _SESSION[method][0].target.startswith("__main__:"):
            raise ConfigError(f"The scorer {method!r} is defined in __main__ (a script or "
                              "notebook), which worker processes cannot import: move it to a "
                              "module, or run with n_jobs=1.")


def grid_traits(name: str) -> tuple[bool, bool]:
    """(takes ``k``, needs the known rows) of a user's scorer: a sweep gives it the config's
    ``k`` grid and ``knowledge`` grid accordingly. Built-in scorers are not asked."""
    cls = scorer_class(name)
    return "k" in protocol_kwargs(cls, k=0), bool(cls.needs_knowledge)


def protocol_kwargs(cls, **offered) -> dict:
    """The protocol's constructor arguments (``k``, ``random_state``, ``neighbors``,
    ``estimator``) that ``cls.__init__`` accepts by name."""
    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return {}  # scikit-learn estimators take no **kwargs; pass nothing
    return {key: value for key, value in offered.items() if key in params}
