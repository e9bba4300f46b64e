"""Which sweeps, data sets, firm-side methods and studies ``fairflip reproduce`` runs.

A :class:`Grid` pins *what* runs, never *how*: the algorithms, seeds, alphas and budgets
are today's (``quick`` chooses the latter). Timings of two releases compare on one grid,
e.g. ``benchmarks/configs/grid-round3.toml`` (the grid of the 15 min 43 s full run).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .._io import read_toml
from .._names import CALIBRATED_EO_METHODS, FIRM_FAMILIES, FIRM_METHODS
from ..exceptions import ConfigError

__all__ = ["DEFAULT_GRID", "DOWNLOADED", "Grid", "PAPER_DATASETS", "STUDIES", "SWEEPS",
           "grid_from_dict", "load_grid"]

#: The paper's data sets and the sensitive attribute each is studied on.
PAPER_DATASETS = {"adult": "sex", "compas": "race", "german": "age", "synthetic": None,
                  "hsls": "race", "acs-income": "race"}
#: Data sets that join a run only when their files are there (``fairflip datasets
#: --download NAME``; $FAIRFLIP_DATA/<name> or ~/.cache/fairflip/<name>).
DOWNLOADED = ("hsls", "acs-income")
#: The sweeps, in run order. The collective-size sweep is every figure's and claim's base.
SWEEPS = ("collective-size-and-flips", "influence-reference", "synthetic-oracle", "knowledge",
          "pareto")
REQUIRED_SWEEP = SWEEPS[0]
#: The studies after the sweeps. The first four need the paper's data sets (a user's table
#: replaces them with ``--data``, and then they are left out).
STUDIES = ("toy", "figure1", "label-audit", "multi-group", "advice", "advice-few-known-rows")
# Calibrated EO is traced once per cost constraint (Pleiss et al. equalise one generalised
# cost; which one is the firm's choice), FARE over (weight, k).
_FIRM_METHODS = tuple(m for m in FIRM_METHODS if m != "calibrated_eo") + CALIBRATED_EO_METHODS
_CHOICES = {"datasets": tuple(PAPER_DATASETS), "sweeps": SWEEPS, "firm_methods": FIRM_FAMILIES,
            "studies": STUDIES}


@dataclass(frozen=True)
class Grid:
    """What ``reproduce`` runs; the default is today's full grid.

    ``datasets`` name paper data sets (downloaded ones join when their files are there),
    ``sweeps`` the sweeps (the collective-size sweep is required), ``firm_methods`` the
    firm-side methods of the ``pareto`` sweeps (ExponentiatedGradient is left out on Adult
    and ACS-Income whatever the grid says) and ``studies`` the studies after the sweeps.
    ``name`` labels the grid in the summary.
    """

    name: str = "current"
    datasets: tuple[str, ...] = tuple(PAPER_DATASETS)
    sweeps: tuple[str, ...] = SWEEPS
    firm_methods: tuple[str, ...] = _FIRM_METHODS
    studies: tuple[str, ...] = STUDIES

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ConfigError(f"The grid's 'name' must be a non-empty text. Got {self.name!r} "
                              "instead.")
        for key, choices in _CHOICES.items():
            values = getattr(self, key)
            if isinstance(values, str) or not isinstance(values, (list, tuple)):
                raise ConfigError(f"The grid's '{key}' must be a list of names. Got {values!r} "
                                  "instead.")
            for value in values:
                if value not in choices:
                    raise ConfigError(f"The grid's '{key}' entry {value!r} is not one of "
                                      f"{', '.join(choices)}.")
            if len(set(values)) < len(values):
                raise ConfigError(f"The grid's '{key}' lists a name twice: {list(values)!r}.")
            object.__setattr__(self, key, tuple(values))
        if not self.datasets:
            raise ConfigError("The grid's 'datasets' must name at least one data set.")
        if REQUIRED_SWEEP not in self.sweeps:
            raise ConfigError(f"The grid's 'sweeps' must include {REQUIRED_SWEEP!r} (every "
                              "figure and claim reads it).")


DEFAULT_GRID = Grid()
_KEYS = tuple(f.name for f in fields(Grid))


def grid_from_dict(raw: dict) -> Grid:
    """A :class:`Grid` from a parsed TOML document; missing keys keep the default's value."""
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise ConfigError(f"The grid has an unknown key {unknown[0]!r} (known: "
                          f"{', '.join(_KEYS)}).")
    return Grid(**raw)


def load_grid(path) -> Grid:
    """Read a grid TOML file (one-line ConfigError for a missing or malformed file)."""
    return grid_from_dict(read_toml(path, "grid file"))
