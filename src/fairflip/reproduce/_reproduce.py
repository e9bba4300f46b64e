"""``fairflip reproduce``: the paper's experiments on real and synthetic data, end to end.

Writes ``results.duckdb``, ``figures/*.png|svg``, ``claims.csv``, ``flip_efficiency.csv``,
``toy.csv``, ``summary.md`` and ``report.html`` under the output folder. ``quick`` uses 3
seeds and coarse grids (minutes on 2 cores); the full mode uses 10 seeds, alpha from 0.01 to 0.4 and budgets
from 0 to the whole candidate pool, refined around each curve's minimum. Small data sets
(under :data:`SMALL_ROWS` rows) get three times the seeds: each seed is a fresh split, so a
claim there is not decided by a handful of test rows.

A :class:`~fairflip.reproduce.Grid` says which sweeps, data sets, firm-side methods and
studies run (default: all of today's); ``fairflip reproduce --grid FILE`` reads one from TOML.
One progress line on stderr follows the whole run (:mod:`._progress`).

Studies beyond the paper hook in without editing this file's logic: a module listed in
:data:`STUDY_MODULES` calls :func:`register_study` (its sweeps and extra outputs) and
:func:`fairflip.analysis.claims.register_rows` (its measurement rows) when imported.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .._io import atomic_write_text, write_table
from .._names import RB_SCORERS
from ..analysis import REFERENCE_METHOD as REFERENCE
from ..analysis import advice_rows, advice_table, efficiency_table, rows_frame
from ..analysis.claims import TOY_FLIPS, all_claims
from ..data import load_dataset
from ..exceptions import ConfigError, DownloadRequiredError
from ..experiments import (
    DatasetSpec,
    ResultStore,
    SweepConfig,
    expand_jobs,
    problem_for,
    run_sweep,
)
from ..plotting import plot_all, plot_figure1
from ..report import write_report
from ..scorers import BUILTIN_SCORERS, is_scorer_name, scorer_names
from ._advice_knowledge import run_knowledge_advice_study
from ._advice_study import advice_section, plot_advisor_figures
from ._audit_study import audit_configs, run_audit_study
from ._costs import START_UP_SECONDS, pass_seconds, phase_seconds, sweep_parts
from ._figure1 import FIGURE1_FIGURE, figure1_fits, figure1_runs
from ._grid import DEFAULT_GRID, DOWNLOADED, PAPER_DATASETS, Grid
from ._group_study import GROUP_STUDY_SEEDS, run_group_studies
from ._phases import PhaseClock
from ._progress import OverallProgress
from ._summary import efficiency_section, infeasible_section, summary_text, verdict_counts
from ._toy import TOY_FIGURE, TOY_SEEDS, toy_experiment, toy_figure_inputs

__all__ = ["STUDY_MODULES", "STUDY_PHASES", "Study", "paper_datasets", "phase_plan",
           "register_study", "reproduce", "reproduce_configs", "study_phases"]

RB_AND_RANDOM = (*RB_SCORERS, "random")
SMALL_ROWS = 2000
# The knowledge ablation's k for rb-label and rb-dist, in both arms: with 10 known majority
# rows a collective expects about 3 positive ones on Adult (31 % of men earn > 50K), the
# fewest of the bundled data sets; k = 10 would make every candidate's rb-label score the
# same (all 10 known rows are every candidate's neighbours). 3 is also the paper's k in its
# illustration.
KNOWLEDGE_K = 3
# The advice study compares budget choices at the paper's operating alpha; the advisor
# runs only there (it costs several times a unit's own flip path).
ADVICE_ALPHA = 0.3
# Modules that register studies beyond the paper (see register_study); one line each.
STUDY_MODULES: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """A study ``reproduce`` runs after the paper's sweeps.

    ``configs(quick, datasets)`` returns its sweeps (stored in the same DuckDB file; units
    shared with other sweeps are computed once); ``outputs(results, out_dir)`` writes its
    extra files (figures, tables) and returns their paths. Its rows for ``claims.csv`` come
    from a function registered with :func:`fairflip.analysis.claims.register_rows`.
    """

    name: str
    configs: Callable[[bool, tuple[DatasetSpec, ...]], list[SweepConfig]] | None = None
    outputs: Callable[[pd.DataFrame, Path], list[Path]] | None = None


_STUDIES: dict[str, Study] = {}


def register_study(study: Study) -> Study:
    """Add ``study`` to every later ``reproduce`` run (registering a name again replaces it)."""
    _STUDIES[study.name] = study
    return study


def _studies() -> list[Study]:
    for module in STUDY_MODULES:
        importlib.import_module(module)
    return list(_STUDIES.values())


def paper_datasets(quick: bool, names=tuple(PAPER_DATASETS)) -> list[DatasetSpec]:
    """The data sets of the paper's experiments (``names``, default all) available here:
    downloaded ones join when their files are there."""
    specs = []
    for name in names:
        if name in DOWNLOADED:
            try:
                load_dataset(name)
            except DownloadRequiredError:
                continue
        options = (("n_rows", 4000 if quick else 10000),) if name == "synthetic" else ()
        specs.append(DatasetSpec(name, PAPER_DATASETS[name], options))
    return specs


def _is_small(spec: DatasetSpec) -> bool:
    return problem_for(spec).n_rows < SMALL_ROWS


def _by_size(cfg: SweepConfig) -> list[SweepConfig]:
    """``cfg`` split into its large data sets and its small ones (three times the seeds)."""
    small = tuple(d for d in cfg.datasets if _is_small(d))
    large = tuple(d for d in cfg.datasets if d not in small)
    out = [replace(cfg, datasets=large)] if large else []
    if small:
        seeds = tuple(range(3 * len(cfg.seeds)))
        out.append(replace(cfg, datasets=small, seeds=seeds, name=f"{cfg.name}-small"))
    return out


def check_user_methods(methods) -> tuple[str, ...]:
    """``--method`` names: registered scorers that are not built in (one-line errors)."""

    out = []
    for name in methods:
        if name in BUILTIN_SCORERS:
            raise ConfigError(f"The '--method' option names a scorer of your own; the built-in "
                              f"ones already run (or are references). Got {name!r} instead.")
        if not is_scorer_name(name):
            raise ConfigError(f"The '--method' option must name a registered scorer (see "
                              f"fairflip methods: {', '.join(scorer_names())}). Got {name!r} "
                              "instead.")
        out.append(name)
    return tuple(dict.fromkeys(out))


def reproduce_configs(quick: bool, datasets=None, methods=(), grid=None) -> list[SweepConfig]:
    """The sweeps behind every figure and claim (they share units, stored once).

    ``grid`` (a :class:`Grid`, default today's) says which sweeps, data sets and firm-side
    methods run. ``datasets`` replaces the grid's :func:`paper_datasets`; a user's table is a
    :class:`DatasetSpec` with a ``file`` option (see
    :func:`fairflip.experiments.DatasetSpec.from_table`). ``methods`` (registered scorers of
    a user's own) run the collective-size-and-flips grid beside the built-in ones. The
    ``influence`` reference runs at the paper's alpha 0.3 on the same budgets (the
    logistic-regression firm).
    """
    methods = check_user_methods(methods)
    grid = DEFAULT_GRID if grid is None else grid
    sweeps = set(grid.sweeps)
    seeds = tuple(range(3 if quick else 10))
    alphas = (0.05, 0.1, 0.2, 0.3, 0.4) if quick else (
        0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
    points, refine = (16, 4) if quick else (41, 8)
    real = tuple(paper_datasets(quick, grid.datasets) if datasets is None else datasets)
    if not real:
        raise ConfigError(f"None of the grid's data sets ({', '.join(grid.datasets)}) is "
                          "available here; download one with fairflip datasets --download.")
    size = SweepConfig(datasets=real, seeds=seeds, methods=RB_AND_RANDOM, alphas=alphas,
                       budget_points=points, refine_points=refine,
                       advise_alphas=(ADVICE_ALPHA,), name="collective-size-and-flips")
    configs = [size]
    if methods:
        configs.append(replace(size, methods=methods, name="your-methods"))
    if "influence-reference" in sweeps:
        # The firm-aware reference: flips the firm's own model says help most (measurement
        # rows).
        configs.append(replace(size, methods=(REFERENCE,), alphas=(ADVICE_ALPHA,),
                               advise_alphas=(), name="influence-reference"))
    synthetic = tuple(d for d in real if d.name == "synthetic")
    if synthetic and "synthetic-oracle" in sweeps:
        configs.append(replace(size, datasets=synthetic, methods=("oracle",),
                               name="synthetic-oracle"))
    if "knowledge" in sweeps:
        configs.append(replace(size, methods=RB_AND_RANDOM[:3], alphas=(0.3,),
                               knowledge=("all", "10"), k=(KNOWLEDGE_K,), name="knowledge"))
    # ExponentiatedGradient refits the firm's model dozens of times per knob (about 2 hours
    # for 10 seeds of Adult on 2 cores): on the large data sets it is left out, and the
    # summary says so. `fairflip sweep` runs it on any data set.
    large = tuple(d for d in real if d.name in ("adult", "acs-income"))
    rest = tuple(d for d in real if d not in large)
    pareto = dict(alphas=(0.3, 1.0), methods=RB_AND_RANDOM, firm_methods=grid.firm_methods)
    if rest and "pareto" in sweeps:
        configs.append(replace(size, datasets=rest, name="pareto", **pareto))
    if large and "pareto" in sweeps:
        configs.append(replace(size, datasets=large, name="pareto-large", **{
            **pareto, "firm_methods": tuple(m for m in grid.firm_methods if m != "expgrad")}))
    for study in _studies():
        if study.configs is not None:
            configs += study.configs(quick, real)
    return [part for cfg in configs for part in _by_size(cfg)]


def figure1_claim_rows() -> pd.DataFrame:
    """The Figure-1 study's runs (each scorer's top 6 flips, on the plotted points) as rows
    the toy claim reads: dataset ``figure1``, family ``collective``, method = scorer."""
    runs = figure1_runs()
    return runs.rename(columns={"scorer": "method"}).assign(dataset="figure1",
                                                            family="collective")


# The studies after the sweeps and the phase each runs in, in run order; the first four
# belong to the paper's data sets (a user's table leaves them out).
STUDY_PHASES = {"toy": "toy example", "figure1": "Figure-1 study",
                "label-audit": "label-audit study", "multi-group": "multi-group studies",
                "advice": "advice study", "advice-few-known-rows": "advice with few known rows"}
_PAPER_ONLY = ("toy", "figure1", "label-audit", "multi-group")
_ORDER = ("toy example", "Figure-1 study", "figures", "claims", "label-audit study",
          "multi-group studies", "advice study", "advice with few known rows", "report")


def study_phases(grid: Grid, paper: bool) -> list[str]:
    """The phases after the sweeps, in run order: ``grid``'s studies (the paper-only ones
    when ``paper``), the figures, the claims and the report."""
    on = {STUDY_PHASES[s] for s in grid.studies if paper or s not in _PAPER_ONLY}
    return [p for p in _ORDER if p in on or p in ("figures", "claims", "report")]


def phase_plan(configs, phases, quick: bool, workers: int) -> list[tuple[str, list[float]]]:
    """Every phase of a run with its expected seconds, in parts (see :mod:`._costs`)."""
    plan = [("load data sets", [phase_seconds("load data sets", quick)])]
    plan += [(f"sweep {c.name}", sweep_parts(c, expand_jobs(c), workers, quick))
             for c in configs]
    if workers > 1:
        plan[1][1][0] += START_UP_SECONDS
    n_datasets = len({d for c in configs for d in c.datasets})
    for name in phases:
        parts = [phase_seconds(name, quick, n_datasets)]
        if name == "label-audit study":  # its sweeps, then its figures and rows
            parts = [s for c in audit_configs(quick)
                     for s in sweep_parts(c, expand_jobs(c), workers, quick)] + parts
        plan.append((name, parts))
    return plan


def reproduce(out, *, quick=False, datasets=None, n_jobs=2, backend="loky", scheduler=None,
              progress=True, allow_mixed_versions=False, methods=(), grid=None) -> str:
    """Run every sweep, draw the figures, write the claims table and the summary.

    ``grid`` (:class:`Grid`, default today's) says which sweeps, data sets, firm-side
    methods and studies run. ``datasets`` (DatasetSpec list) replaces the grid's data sets,
    e.g. with a user's table. ``methods`` names registered scorers of your own
    (:func:`fairflip.register_scorer` or the ``fairflip.scorers`` entry points) to run
    beside the built-in ones: they appear in the figures, and ``claims.csv`` compares each
    with every RB method and random (scope ``beyond the paper``). ``progress`` shows one
    line on stderr for the whole run (False: silent).
    """
    grid = DEFAULT_GRID if grid is None else grid
    workers = 1 if backend == "sequential" else n_jobs
    line = OverallProgress(enabled=bool(progress),
                           pass_cost=lambda todo: pass_seconds(todo, workers, quick))
    try:
        text, report = _run(Path(out), PhaseClock(line), grid, workers, quick=quick,
                            datasets=datasets, methods=methods,
                            allow_mixed_versions=allow_mixed_versions,
                            parallel=dict(n_jobs=n_jobs, backend=backend, scheduler=scheduler))
    except BaseException:
        line.close(finished=False)
        raise
    line.close()
    if progress:
        print(f"reproduce: {report}", file=sys.stderr, flush=True)
    return text


def _run(out, clock, grid, workers, *, quick, datasets, methods, allow_mixed_versions, parallel):
    start = time.monotonic()
    with clock.phase("load data sets"):
        # Loads every data set and checks the methods: bad input fails here.
        configs = reproduce_configs(quick, datasets, methods, grid)
        for cfg in configs:
            for spec in cfg.datasets:
                problem_for(spec)
        phases = study_phases(grid, paper=datasets is None)
        clock.progress.plan(phase_plan(configs, phases, quick, workers))
    out.mkdir(parents=True, exist_ok=True)
    for cfg in configs:
        with clock.phase(f"sweep {cfg.name}"):
            run_sweep(cfg, out / "results.duckdb", progress=clock.progress,
                      allow_mixed_versions=allow_mixed_versions, **parallel)
    with ResultStore(out / "results.duckdb") as store:
        df = store.frame()
        infeasible = store.infeasible()
    toy, toy_fig, fig1 = None, None, None
    if "toy example" in phases:
        with clock.phase("toy example"):
            toy = toy_experiment(TOY_SEEDS)
            write_table(toy, out / "toy.csv")
            # Figure 1: seed, scorer and flip count fixed before any toy run (TOY_FIGURE).
            toy_fig = toy_figure_inputs(flips=TOY_FLIPS, **TOY_FIGURE)
    if "Figure-1 study" in phases:
        with clock.phase("Figure-1 study"):
            # The paper's own Figure-1 toy (scope 'paper'); toy2d is our Gaussian toy.
            fig1 = figure1_claim_rows()
            write_table(fig1, out / "figure1.csv")
    with clock.phase("figures"):
        figures = plot_all(df, out / "figures", toy=toy_fig)
        if fig1 is not None:  # the paper's Figure 1, laid out as the paper's (seed, scorer fixed)
            f = figure1_fits(**FIGURE1_FIGURE)
            figures += plot_figure1(f["X"], f["y"], f["group"], f["flipped"], f["before"],
                                    f["after"], out / "figures", title=f["title"])
        for study in _studies():
            if study.outputs is not None:
                figures += study.outputs(df, out)
    with clock.phase("claims"):
        extra = [t for t in (toy, fig1) if t is not None]
        users = {d.name for cfg in configs for d in cfg.datasets if d.file}
        claims = all_claims(pd.concat([df, *extra], ignore_index=True) if extra else df,
                            user_datasets=users)
    # Studies beyond the paper; their rows are measurements.
    more = [claims]
    if "label-audit study" in phases:
        # The label-audit study keeps its own results file (audits.duckdb).
        with clock.phase("label-audit study"):
            audit_figures, audit_rows = run_audit_study(out, quick=quick,
                                                        progress=clock.progress, **parallel)
        figures, more = [*figures, *audit_figures], [*more, audit_rows]
    if "multi-group studies" in phases:
        # One multi-group study per real data set (spillover figure, rows).
        with clock.phase("multi-group studies"):
            group_rows, group_figures = run_group_studies(out, configs[0].seeds[:GROUP_STUDY_SEEDS])
        figures, more = [*figures, *group_figures], [*more, rows_frame(group_rows)]
    advice = None
    if "advice study" in phases:
        # Budget choices without hindsight (advisor, firm-validation, fixed).
        with clock.phase("advice study"):
            advice = advice_table(df, alpha=ADVICE_ALPHA)
            more.append(rows_frame(advice_rows(df, alpha=ADVICE_ALPHA)))
            write_table(advice, out / "advice.csv")
            figures = [*figures, *plot_advisor_figures(configs[0].datasets, out / "figures")]
    if "advice with few known rows" in phases:  # issue 23: 10 to all rows, stated rate
        with clock.phase("advice with few known rows"):
            paper = dict.fromkeys(d for c in configs if c.name.startswith("collective-size")
                                  for d in c.datasets)
            k_rows, k_figures = run_knowledge_advice_study(
                out, tuple(paper), quick=quick,
                n_jobs=parallel["n_jobs"] if parallel["backend"] == "loky" else 1)
            more.append(rows_frame(k_rows))
            figures = [*figures, *k_figures]
    claims = pd.concat(more, ignore_index=True)
    write_table(claims, out / "claims.csv")
    efficiency = efficiency_table(df)
    write_table(efficiency, out / "flip_efficiency.csv")
    specs = {d.label: d for cfg in configs for d in cfg.datasets}

    with clock.phase("report"):
        report = write_report(out / "results.duckdb", out / "report.html", claims=claims, toy=toy,
                              title=f"fairflip reproduce ({'quick' if quick else 'full'})")
    elapsed = time.monotonic() - start
    write_table(clock.table(), out / "timing.csv")
    atomic_write_text(out / "summary.md",
                      summary_text(claims, elapsed, quick, specs.values(), len(df), figures,
                                   grid.name)
                      + infeasible_section(infeasible) + efficiency_section(efficiency)
                      + (advice_section(advice) if advice is not None else "")
                      + clock.markdown())
    text = (f"wrote {out}/results.duckdb ({len(df)} rows), {len(figures)} figure files, "
            f"claims.csv ({verdict_counts(claims)}), summary.md, report.html "
            f"in {elapsed:.0f} s")
    return text, report
