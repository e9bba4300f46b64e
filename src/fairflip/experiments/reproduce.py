"""``fairflip reproduce``: the paper's experiments on real and synthetic data, end to end.

Writes ``results.duckdb``, ``figures/*.png|svg``, ``claims.csv`` and ``summary.md`` under the
output folder. ``quick`` uses 3 seeds and coarse grids (minutes on 2 cores); the full mode
uses 10 seeds, alpha from 0.01 to 0.4 and budgets from 0 to the whole candidate pool.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .. import __version__
from .._io import atomic_write_text, write_table
from ..exceptions import DownloadRequiredError
from ._config import DatasetSpec, SweepConfig
from ._runner import run_sweep
from ._store import ResultStore
from .claims import all_claims

__all__ = ["reproduce", "reproduce_configs"]

RB_AND_RANDOM = ("rb-prob", "rb-label", "rb-dist", "random")
FIRM_METHODS = ("expgrad", "threshold", "calibrated_eo", "massaging", "reweighing",
                "correlation_remover")


def _datasets(quick: bool) -> list[DatasetSpec]:
    specs = [DatasetSpec("adult", "sex"), DatasetSpec("compas", "race"),
             DatasetSpec("german", "age"),
             DatasetSpec("synthetic", None, (("n_rows", 4000 if quick else 10000),))]
    try:
        from ..data import load_dataset

        load_dataset("acs-income")
        specs.append(DatasetSpec("acs-income", "race"))
    except DownloadRequiredError:
        pass
    return specs


def reproduce_configs(quick: bool) -> list[SweepConfig]:
    """The sweeps behind every figure and claim (they share units, stored once)."""
    seeds = tuple(range(3 if quick else 10))
    alphas = (0.05, 0.1, 0.2, 0.3, 0.4) if quick else (
        0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
    points = 11 if quick else 41
    real = _datasets(quick)
    size = SweepConfig(datasets=tuple(real), seeds=seeds, methods=RB_AND_RANDOM, alphas=alphas,
                       budget_points=points, name="collective-size-and-flips")
    synthetic_oracle = replace(size, datasets=tuple(d for d in real if d.name == "synthetic"),
                               methods=("oracle",), name="synthetic-oracle")
    knowledge = replace(size, methods=RB_AND_RANDOM[:3], alphas=(0.3,), knowledge=("all", "10"),
                        name="knowledge")
    pareto_sets = tuple(d for d in real if d.name != "synthetic")
    pareto = replace(size, datasets=pareto_sets, alphas=(0.3, 1.0), methods=RB_AND_RANDOM,
                     firm_methods=FIRM_METHODS, seeds=seeds[:2] if quick else seeds, name="pareto")
    toy = SweepConfig(datasets=(DatasetSpec("toy2d"),), seeds=seeds, alphas=(1.0,),
                      methods=("rb-prob", "rb-label", "rb-dist", "random", "oracle"),
                      budgets=tuple(range(11)), name="toy")
    return [toy, size, synthetic_oracle, knowledge, pareto]


def _toy_figure_inputs(flips: int = 6):
    """Figure 1: the toy problem's training rows, the firm before and after ``flips``."""
    from .._seeding import sub_seed
    from ..data import load_dataset
    from ..metrics import fairness_report
    from ..simulate import make_split, rank_split, train_firm

    split = make_split(load_dataset("toy2d"), seed=0)
    ranking = rank_split(split, method="rb-prob", alpha=1.0, seed=0)
    flipped = ranking.flipped(min(flips, ranking.n_candidates))
    y_new = split.y_train.copy()
    y_new[flipped] = 1
    fits = {}
    for key, labels in (("before", split.y_train), ("after", y_new)):
        model = train_firm(split.X_train, labels, random_state=sub_seed(0, "model"))
        rep = fairness_report(split.y_test, model.predict(split.X_test), split.g_test)
        fits[key] = {"coef": model.coef_.ravel(), "intercept": float(model.intercept_[0]),
                     "error": rep["error"], "eqod": rep["eqod"]}
    return {"X": split.X_train[:, :2], "y": split.y_train, "group": split.g_train,
            "flipped_idx": flipped, **fits,
            "title": f"toy2d: {flipped.size} rb-prob flips (test error and EqOd)"}


def _summary(claims, elapsed, quick, datasets, n_rows, figures) -> str:
    lines = [
        "# fairflip reproduce: summary", "",
        f"fairflip {__version__}; mode: {'quick' if quick else 'full'}; wall time {elapsed:.0f} s; "
        f"{n_rows} result rows; {len(figures)} figure files.", "",
        "Data sets: " + ", ".join(d.label for d in datasets) + ".", "",
        "Every number is a mean over seeds (spread = standard deviation). The paper picks the "
        "best budget in hindsight on the test set; the 'budget choice' rows show the test EqOd "
        "of a budget the collective picks on its own validation split instead.", "",
        f"Claims that hold: {(claims.holds == 'yes').sum()} of {len(claims)}.", "",
        "| claim | dataset | method | paper | measured | spread | holds | detail |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in claims.itertuples():
        fmt = (lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.4f}")
        lines.append(f"| {r.claim} | {r.dataset} | {r.method} | {r.paper_value} | "
                     f"{fmt(r.measured)} | {fmt(r.spread)} | {r.holds} | {r.detail} |")
    failing = claims[claims.holds == "no"]
    lines += ["", "## Claims that do not hold here", ""]
    lines += [f"- {r.claim} ({r.dataset}, {r.method}): {r.detail}" for r in failing.itertuples()] or ["- none"]
    return "\n".join(lines) + "\n"


def reproduce(out, *, quick=False, n_jobs=2, backend="loky", scheduler=None, progress=True) -> str:
    """Run every sweep, draw the figures, write the claims table and the summary."""
    from ..plotting import plot_all

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    configs = reproduce_configs(quick)
    for cfg in configs:
        if progress:
            print(f"reproduce: sweep {cfg.name!r}", file=sys.stderr, flush=True)
        run_sweep(cfg, out / "results.duckdb", n_jobs=n_jobs, backend=backend,
                  scheduler=scheduler, progress=progress)
    with ResultStore(out / "results.duckdb") as store:
        df = store.frame()
    figures = plot_all(df, out / "figures", toy=_toy_figure_inputs())
    claims = all_claims(df)
    write_table(claims, out / "claims.csv")
    elapsed = time.monotonic() - start
    datasets = {d.label: d for cfg in configs for d in cfg.datasets}
    atomic_write_text(out / "summary.md",
                      _summary(claims, elapsed, quick, datasets.values(), len(df), figures))
    return (f"wrote {out}/results.duckdb ({len(df)} rows), {len(figures)} figure files, "
            f"claims.csv ({(claims.holds == 'yes').sum()}/{len(claims)} hold), summary.md "
            f"in {elapsed:.0f} s")
