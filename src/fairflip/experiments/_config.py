"""Sweep configurations: a TOML file -> a frozen, validated, hashable description of a grid."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .._deprecate import warn_renamed
from .._io import read_toml
from .._names import DEFAULT_K, FIRM_FAMILIES, RB_SCORERS
from ..collective import knowledge_label
from ..exceptions import ConfigError
from ..learning import AUDIT_ACTIONS, DEFAULT_AUDIT_Q, check_audit
from ..scorers import is_scorer_name, scorer_names

__all__ = ["DatasetSpec", "SweepConfig", "load_config"]


@dataclass(frozen=True)
class DatasetSpec:
    """A data set by name, its sensitive attribute and loader options (e.g. synthetic rows)."""

    name: str
    sensitive: str | None = None
    options: tuple[tuple[str, object], ...] = ()

    @property
    def label(self) -> str:
        return self.name if self.sensitive is None else f"{self.name}:{self.sensitive}"

    @property
    def file(self) -> str | None:
        """The user's table this spec reads, or None for a named data set."""
        return dict(self.options).get("file")

    @classmethod
    def from_table(cls, file, *, label: str, group: str, acting_group=None, favourable=None,
                   name: str | None = None, standardize: bool = True) -> DatasetSpec:
        """A user's CSV, Parquet or .npz table (read with :func:`fairflip.data.load_table`).

        The file's SHA-256 is part of the spec, so a sweep never resumes onto results of a
        file that has changed since. ``standardize=False`` (recorded in the spec only then,
        so the default spec is unchanged) passes numeric features through unscaled.
        """
        path = Path(file).expanduser()
        if not path.is_file():
            raise ConfigError(f"The data file {str(file)!r} does not exist.")
        for key, value in (("label", label), ("group", group)):
            if not isinstance(value, str) or not value:
                raise ConfigError(f"The '{key}' entry of {str(file)!r} must name a column. "
                                  f"Got {value!r} instead.")
        opts = {"file": str(path.resolve()), "label": label, "group": group,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest()[:16]}
        for key, value in (("acting_group", acting_group), ("favourable", favourable)):
            if value is not None:
                opts[key] = str(value)
        if not isinstance(standardize, bool):
            raise ConfigError(f"The 'standardize' entry of {str(file)!r} must be true or "
                              f"false. Got {standardize!r} instead.")
        if not standardize:
            opts["standardize"] = False
        return cls(name or path.name.split(".")[0], group, tuple(sorted(opts.items())))


def _check_methods(methods, models):
    """Built-in or registered scorer names (``fairflip methods``); the influence reference
    with the logistic-regression firm only."""

    for m in methods:
        if not isinstance(m, str) or not is_scorer_name(m):
            raise ConfigError(f"The 'methods' entry {m!r} is not one of "
                              f"{', '.join(scorer_names())} (see fairflip methods).")
    if "influence" in methods:
        other = [m for m in models if m != "logreg"]
        if other:
            raise ConfigError(f"The 'methods' entry 'influence' is defined for the "
                              f"logistic-regression firm only; 'models' must be ['logreg']. "
                              f"Got {other[0]!r} instead.")


@dataclass(frozen=True)
class SweepConfig:
    """The grid of a sweep.

    Budgets are either explicit flip counts (``budgets``; counts above a cell's candidate
    pool are capped to the pool, the requested count is kept in the ``budget`` column) or
    ``budget_points`` evenly spaced counts from 0 to ``budget_max_fraction`` of the pool.
    With ``refine_points`` > 0 a second pass adds that many counts between the neighbours of
    each seed-mean curve's minimum (test and firm-validation EqOd), common to all seeds.
    """

    datasets: tuple[DatasetSpec, ...]
    seeds: tuple[int, ...] = (0,)
    models: tuple[str, ...] = ("logreg",)
    methods: tuple[str, ...] = (*RB_SCORERS, "random")
    alphas: tuple[float, ...] = (0.3,)
    knowledge: tuple[str, ...] = ("all",)
    k: tuple[int, ...] = (DEFAULT_K,)
    budgets: tuple[int, ...] = ()
    budget_points: int = 11
    refine_points: int = 0
    budget_max_fraction: float = 1.0
    firm_methods: tuple[str, ...] = ()
    test_size: float = 0.3
    firm_val_share: float = 0.5
    group_feature: bool = True
    name: str = "sweep"
    audits: tuple[str, ...] = ("none",)
    audit_actions: tuple[str, ...] = ("drop",)
    audit_q: float = DEFAULT_AUDIT_Q
    avoid_audit: tuple[bool, ...] = (False,)
    # The alphas whose collective units also run the advisor (None: every alpha). The
    # advisor costs several times a unit's own flip path.
    advise_alphas: tuple[float, ...] | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        if not self.datasets:
            raise ConfigError("The config names no datasets.")
        _check_methods(self.methods, self.models)
        bad = [m for m in self.firm_methods if m not in FIRM_FAMILIES]
        if bad:
            raise ConfigError(f"The 'firm_methods' entry {bad[0]!r} is not one of "
                              f"{', '.join(FIRM_FAMILIES)}.")
        for a in self.alphas:
            if not (isinstance(a, (int, float)) and 0 < a <= 1):
                raise ConfigError(f"The 'alphas' entry must be in (0, 1]. Got {a!r} instead.")
        if any((not isinstance(b, int)) or b < 0 for b in self.budgets):
            raise ConfigError("The 'budgets' entries must be non-negative integer counts.")
        if not self.budgets and self.budget_points < 1:
            raise ConfigError(f"The 'budget_points' entry must be >= 1. Got {self.budget_points} instead.")
        if isinstance(self.refine_points, bool) or not isinstance(self.refine_points, int) \
                or self.refine_points < 0:
            raise ConfigError(f"The 'refine_points' entry must be an integer >= 0. Got "
                              f"{self.refine_points!r} instead.")
        if not (0 < self.budget_max_fraction <= 1):
            raise ConfigError("The 'budget_max_fraction' entry must be in (0, 1].")
        if not (0 < self.test_size < 1) or not (0 < self.firm_val_share < 1):
            raise ConfigError("The 'test_size' and 'firm_val_share' entries must be in (0, 1).")
        if any((not isinstance(k, int)) or k < 1 for k in self.k):
            raise ConfigError("The 'k' entries must be positive integers.")
        for value in self.knowledge:
            knowledge_label(value)
        if not self.seeds:
            raise ConfigError("The config has no seeds.")
        if self.advise_alphas is not None:
            stray = [a for a in self.advise_alphas if not _has_alpha(self.alphas, a)]
            if stray:
                raise ConfigError(f"The 'advise_alphas' entry {stray[0]!r} is not one of the "
                                  "config's 'alphas'.")
        if not self.audits or not self.audit_actions or not self.avoid_audit:
            raise ConfigError("The 'audits', 'audit_actions' and 'avoid_audit' entries must not be empty.")
        for audit in self.audits:
            check_audit(audit, AUDIT_ACTIONS[0], self.audit_q)
        for action in self.audit_actions:
            check_audit("none", action, self.audit_q)

    def advises(self, alpha: float) -> bool:
        """Whether the collective units at ``alpha`` record the advisor's budget."""
        return self.advise_alphas is None or _has_alpha(self.advise_alphas, alpha)

    def as_dict(self) -> dict:
        out = asdict(self)
        out.pop("extra")
        if out["advise_alphas"] is None:  # the default keeps older configs' hashes
            out.pop("advise_alphas")
        # Audit keys at their defaults stay out, so configs written before audits existed
        # keep their hash.
        for key in _AUDIT_DEFAULTS:
            if out[key] == _AUDIT_DEFAULTS[key]:
                out.pop(key)
        return out

    @property
    def config_hash(self) -> str:
        text = json.dumps(self.as_dict(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _has_alpha(alphas, alpha) -> bool:
    # Alphas come from TOML floats and from code; equal up to rounding counts as equal.
    return any(abs(alpha - a) < 1e-12 for a in alphas)


_AUDIT_DEFAULTS = {"audits": ("none",), "audit_actions": ("drop",), "audit_q": DEFAULT_AUDIT_Q,
                   "avoid_audit": (False,)}


def _tuple(value, key, kind=None):
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if kind is not None:
        for item in items:
            if not isinstance(item, kind) or isinstance(item, bool) and kind is not bool:
                raise ConfigError(
                    f"The '{key}' entry must hold {kind.__name__} values. Got {item!r} instead.")
    return tuple(items)


_SIMPLE = {"models": str, "methods": str, "firm_methods": str, "k": int, "budgets": int,
           "audits": str, "audit_actions": str, "avoid_audit": bool}
_KNOWN = {"datasets", "seeds", "alphas", "knowledge", "budget_points", "refine_points",
          "budget_max_fraction", "test_size", "firm_val_share", "group_feature", "name",
          "audit_q", "advise_alphas", *_SIMPLE}


_TABLE_KEYS = {"file", "label", "group", "acting_group", "favourable", "name", "standardize"}


# Old config keys, accepted with a FutureWarning until 0.3: "val_share" is the 0.1 name of
# firm_val_share (firm test rows are not the collective's); "include_group" the 0.2.0.dev0
# name of group_feature (one name with the API's and the CLI's --group-feature).
_RENAMED_KEYS = {"val_share": "firm_val_share", "include_group": "group_feature"}


def config_from_dict(raw: dict, base_dir=None) -> SweepConfig:
    """Validate a parsed TOML document (or a dict built in Python).

    ``base_dir`` resolves relative ``file`` entries of ``datasets`` (the TOML file's folder).
    """
    for old, new in _RENAMED_KEYS.items():
        if old in raw:
            if new in raw:
                raise ConfigError(f"The config has both '{old}' and '{new}'; "
                                  f"'{old}' is the deprecated name of '{new}'.")
            warn_renamed(old, new, "the sweep config")
            raw = {(new if key == old else key): value for key, value in raw.items()}
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        raise ConfigError(f"The config has an unknown key {unknown[0]!r}.")
    kw = {}
    datasets = raw.get("datasets")
    if not isinstance(datasets, list) or not datasets:
        raise ConfigError("The config needs 'datasets', a list of names or tables.")
    specs = []
    for entry in datasets:
        if isinstance(entry, str):
            specs.append(DatasetSpec(entry))
        elif isinstance(entry, dict) and "file" in entry:
            extra = sorted(set(entry) - _TABLE_KEYS)
            if extra:
                raise ConfigError(f"A 'datasets' file entry has an unknown key {extra[0]!r} "
                                  f"(known: {', '.join(sorted(_TABLE_KEYS))}).")
            file = Path(str(entry["file"]))
            if base_dir is not None and not file.is_absolute():
                file = Path(base_dir) / file
            specs.append(DatasetSpec.from_table(
                file, label=entry.get("label"), group=entry.get("group"),
                acting_group=entry.get("acting_group"), favourable=entry.get("favourable"),
                name=entry.get("name"), standardize=entry.get("standardize", True)))
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
            opts = entry.get("options", {})
            if not isinstance(opts, dict):
                raise ConfigError("A dataset's 'options' must be a table.")
            if "acting_group" in entry:
                # A multi-group data set: the loader keeps every other group separate.
                opts = {**opts, "acting_group": entry["acting_group"]}
            if "standardize" in entry:
                # Every data set takes it (fairflip.data.load_dataset); False: unscaled.
                opts = {**opts, "standardize": entry["standardize"]}
            for key, value in opts.items():
                if not isinstance(value, (str, int, float, bool)):
                    raise ConfigError(
                        f"The dataset option {key!r} must be a single value (text, number or "
                        f"true/false); sweep over it with several datasets entries. Got "
                        f"{value!r} instead.")
            specs.append(DatasetSpec(entry["name"], entry.get("sensitive"), tuple(sorted(opts.items()))))
        else:
            raise ConfigError(
                f"A 'datasets' entry must be a name or a table with 'name' or 'file'. Got "
                f"{entry!r} instead.")
    kw["datasets"] = tuple(specs)
    seeds = raw.get("seeds", [0])
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        seeds = list(range(seeds))
    kw["seeds"] = _tuple(seeds, "seeds", int)
    if "alphas" in raw:
        alphas = _tuple(raw["alphas"], "alphas")
        if not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in alphas):
            raise ConfigError("The 'alphas' entries must be numbers in (0, 1].")
        kw["alphas"] = tuple(float(a) for a in alphas)
    if "advise_alphas" in raw:
        values = raw["advise_alphas"]
        if not isinstance(values, list) or not all(
                isinstance(a, (int, float)) and not isinstance(a, bool) for a in values):
            raise ConfigError("The 'advise_alphas' entry must be a list of alphas (empty: no "
                              f"advisor). Got {values!r} instead.")
        kw["advise_alphas"] = tuple(float(a) for a in values)
    if "knowledge" in raw:
        kw["knowledge"] = tuple(knowledge_label(v) for v in _tuple(raw["knowledge"], "knowledge"))
    for key, kind in _SIMPLE.items():
        if key in raw:
            kw[key] = _tuple(raw[key], key, kind)
    for key, kind in (("budget_points", int), ("refine_points", int),
                      ("budget_max_fraction", (int, float)),
                      ("test_size", (int, float)), ("firm_val_share", (int, float)),
                      ("group_feature", bool), ("name", str), ("audit_q", (int, float))):
        if key in raw:
            if not isinstance(raw[key], kind):
                raise ConfigError(f"The '{key}' entry has the wrong type: {raw[key]!r}.")
            kw[key] = raw[key]
    return SweepConfig(**kw)


def load_config(path) -> SweepConfig:
    """Read and validate a sweep TOML file (one-line errors for malformed files)."""
    path = Path(path)
    return config_from_dict(read_toml(path), base_dir=path.parent)
