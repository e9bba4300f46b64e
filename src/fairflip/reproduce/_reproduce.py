"""``fairflip reproduce``: the paper's experiments on real and synthetic data, end to end.

Writes ``results.duckdb``, ``figures/*.png|svg``, ``claims.csv``, ``flip_efficiency.csv``,
``toy.csv``, ``summary.md`` and ``report.html`` under the output folder. ``quick`` uses 3
seeds and coarse grids (minutes on 2 cores); the full mode uses 10 seeds, alpha from 0.01 to 0.4 and budgets
from 0 to the whole candidate pool, refined around each curve's minimum. Small data sets
(under :data:`SMALL_ROWS` rows) get three times the seeds: each seed is a fresh split, so a
claim there is not decided by a handful of test rows.

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

import numpy as np
import pandas as pd

from .._io import atomic_write_text, write_table
from .._names import CALIBRATED_EO_METHODS, FIRM_METHODS, RB_SCORERS
from .._version import __version__
from ..analysis import REFERENCE_METHOD as REFERENCE
from ..analysis import advice_rows, advice_table, efficiency_table, rows_frame
from ..analysis.claims import SCOPES, TOY_FLIPS, VERDICTS, all_claims, headline, holm_summary
from ..data import load_dataset
from ..exceptions import ConfigError, DownloadRequiredError
from ..experiments import DatasetSpec, ResultStore, SweepConfig, problem_for, run_sweep
from ..plotting import plot_all, plot_figure1
from ..report import write_report
from ..scorers import BUILTIN_SCORERS, is_scorer_name, scorer_names
from ._advice_knowledge import run_knowledge_advice_study
from ._advice_study import advice_section, plot_advisor_figures
from ._audit_study import run_audit_study
from ._figure1 import FIGURE1_FIGURE, figure1_fits, figure1_runs
from ._group_study import GROUP_STUDY_SEEDS, run_group_studies
from ._phases import PhaseClock
from ._toy import TOY_FIGURE, TOY_SEEDS, toy_experiment, toy_figure_inputs

__all__ = ["STUDY_MODULES", "Study", "paper_datasets", "register_study", "reproduce",
           "reproduce_configs"]

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


def paper_datasets(quick: bool) -> list[DatasetSpec]:
    """The data sets of the paper's experiments that are available here."""
    specs = [DatasetSpec("adult", "sex"), DatasetSpec("compas", "race"),
             DatasetSpec("german", "age"),
             DatasetSpec("synthetic", None, (("n_rows", 4000 if quick else 10000),))]
    # Downloaded data sets join when their files are there ($FAIRFLIP_DATA/<name> or
    # ~/.cache/fairflip/<name>; `fairflip datasets --download NAME`).
    for name, sensitive in (("hsls", "race"), ("acs-income", "race")):
        try:
            load_dataset(name)
        except DownloadRequiredError:
            continue
        specs.append(DatasetSpec(name, sensitive))
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


def reproduce_configs(quick: bool, datasets=None, methods=()) -> list[SweepConfig]:
    """The sweeps behind every figure and claim (they share units, stored once).

    ``datasets`` defaults to :func:`paper_datasets`; a user's table is a :class:`DatasetSpec`
    with a ``file`` option (see :func:`fairflip.experiments.DatasetSpec.from_table`).
    ``methods`` (registered scorers of a user's own) run the collective-size-and-flips grid
    beside the built-in ones. The ``influence`` reference runs at the paper's alpha 0.3 on
    the same budgets (the logistic-regression firm).
    """
    methods = check_user_methods(methods)
    seeds = tuple(range(3 if quick else 10))
    alphas = (0.05, 0.1, 0.2, 0.3, 0.4) if quick else (
        0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
    points, refine = (16, 4) if quick else (41, 8)
    real = tuple(paper_datasets(quick) if datasets is None else datasets)
    size = SweepConfig(datasets=real, seeds=seeds, methods=RB_AND_RANDOM, alphas=alphas,
                       budget_points=points, refine_points=refine,
                       advise_alphas=(ADVICE_ALPHA,), name="collective-size-and-flips")
    configs = [size]
    if methods:
        configs.append(replace(size, methods=methods, name="your-methods"))
    # The firm-aware reference: flips the firm's own model says help most (measurement rows).
    configs.append(replace(size, methods=(REFERENCE,), alphas=(ADVICE_ALPHA,), advise_alphas=(),
                           name="influence-reference"))
    synthetic = tuple(d for d in real if d.name == "synthetic")
    if synthetic:
        configs.append(replace(size, datasets=synthetic, methods=("oracle",),
                               name="synthetic-oracle"))
    configs.append(replace(size, methods=RB_AND_RANDOM[:3], alphas=(0.3,),
                           knowledge=("all", "10"), k=(KNOWLEDGE_K,), name="knowledge"))
    # ExponentiatedGradient refits the firm's model dozens of times per knob (about 2 hours
    # for 10 seeds of Adult on 2 cores): on the large data sets it is left out, and the
    # summary says so. `fairflip sweep` runs it on any data set.
    large = tuple(d for d in real if d.name in ("adult", "acs-income"))
    rest = tuple(d for d in real if d not in large)
    # Calibrated EO is traced once per cost constraint (Pleiss et al. equalise one generalised
    # cost; which one is the firm's choice), FARE over (weight, k).
    firm_methods = tuple(m for m in FIRM_METHODS if m != "calibrated_eo") + CALIBRATED_EO_METHODS
    pareto = dict(alphas=(0.3, 1.0), methods=RB_AND_RANDOM, firm_methods=firm_methods)
    if rest:
        configs.append(replace(size, datasets=rest, name="pareto", **pareto))
    if large:
        configs.append(replace(size, datasets=large, name="pareto-large", **{
            **pareto, "firm_methods": tuple(m for m in firm_methods if m != "expgrad")}))
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


def _fmt(value, spec=".4f") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return format(value, spec)


def _efficiency_section(table: pd.DataFrame) -> str:
    if table.empty:
        return ""
    lines = ["", "## Label-flip efficiency (alpha = 0.3): labels changed to reach an EqOd target", "",
             "Collective action flips acting-group labels only; massaging changes labels in both "
             "groups (two per pair). Targets are shares of the base EqOd; empty = not reached.", "",
             "| dataset | scorer | target (share of base) | target EqOd | collective flips | "
             "massaging changes |", "|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.dataset} | {r.method} | {r.share_of_base_eqod:.2f} | {r.target:.4f} | "
                     f"{_fmt(r.collective_flips, '.0f')} | {_fmt(r.massaging_changes, '.0f')} |")
    return "\n".join(lines) + "\n"


def _ci(r) -> str:
    if not np.isfinite(r.ci_low):
        return ""
    return f"[{r.ci_low:.4f}, {r.ci_high:.4f}]"


def _summary(claims, elapsed, quick, datasets, n_rows, figures) -> str:

    counts = headline(claims)
    lines = [
        "# fairflip reproduce: summary", "",
        f"fairflip {__version__}; mode: {'quick' if quick else 'full'}; wall time {elapsed:.0f} s; "
        f"{n_rows} result rows; {len(figures)} figure files.", "",
        "Data sets: " + ", ".join(d.label for d in datasets) + ".", "",
        "Each claim quotes where the paper makes it (column 'source') and says its scope: "
        "*paper* (the paper's claim on a data set the paper uses), *other data* (the paper's "
        "claim on data it does not use) or *beyond the paper* (not a claim of the paper). It is "
        "decided by a criterion fixed in code (column 'criterion') on per-seed values with a "
        "paired 95 % t interval over seeds: it *holds* when the whole interval satisfies the "
        "criterion, *fails* when the whole interval violates it, is *inconclusive* otherwise, "
        "and *undecidable* when a control run through the same test shows the test cannot "
        "tell. Operating points are read on fronts and budget paths interpolated between "
        "points, found on the firm-validation rows (held out from the firm's test split, data "
        "a collective does not have) or in hindsight on the test rows (the paper's reading; "
        "those intervals ignore the selection on the same rows). Measurement rows are not "
        "claims.", "",
        "## Verdicts per scope", "",
        "| scope | " + " | ".join(VERDICTS) + " |", "|---" * (len(VERDICTS) + 1) + "|",
    ]
    by_scope = counts.groupby(level="scope").sum() if not counts.empty else counts
    for scope in SCOPES:
        if scope in by_scope.index:
            r = by_scope.loc[scope]
            lines.append(f"| {scope} | " + " | ".join(str(int(r[v])) for v in VERDICTS) + " |")
    holm = holm_summary(claims)
    lines += ["", "Paper-scope claims that hold, and how many survive a Holm correction over "
              "that selection mode's paper-scope claims (adjusted one-sided or TOST p < 0.05):",
              "", "| selection | paper-scope claims | hold | hold after Holm |", "|---|---|---|---|"]
    lines += [f"| {r.selection} | {r.claims} | {r.holds} | {r.holds_after_holm} |"
              for r in holm.itertuples()]
    lines += ["", "## Verdicts per data set", "",
              "| scope | dataset | selection | " + " | ".join(VERDICTS) + " |",
              "|---" * (len(VERDICTS) + 3) + "|"]
    lines += [f"| {sc} | {ds} | {sel} | " + " | ".join(str(int(r[v])) for v in VERDICTS) + " |"
              for (sc, ds, sel), r in counts.iterrows()]
    lines += ["", "## Claims and measurements", "",
              "| claim | scope | dataset | method | selection | criterion | measured | 95 % CI | n | "
              "p | verdict | paper | source | detail |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in claims.itertuples():
        lines.append(f"| {r.claim} | {r.scope} | {r.dataset} | {r.method} | {r.selection} | "
                     f"{r.criterion} | {_fmt(r.measured)} | {_ci(r)} | {r.n_seeds} | "
                     f"{_fmt(r.p_value, '.3g')} | {r.verdict} | {r.paper_value} | {r.source} | "
                     f"{r.detail} |")
    failing = claims[claims.verdict == "fails"]
    lines += ["", "## Claims that fail here", ""]
    lines += [f"- {r.claim} ({r.scope}; {r.dataset}, {r.method}, {r.selection}): {r.detail}"
              for r in failing.itertuples()] or ["- none"]
    return "\n".join(lines) + "\n"


def _verdict_counts(claims) -> str:

    only = claims[claims.kind == "claim"]
    parts = []
    for scope in SCOPES:
        part = only[only.scope == scope].verdict
        if len(part):
            parts.append(f"{scope}: " + ", ".join(f"{(part == v).sum()} {v}" for v in VERDICTS))
    return "; ".join(parts)


def reproduce(out, *, quick=False, datasets=None, n_jobs=2, backend="loky", scheduler=None,
              progress=True, allow_mixed_versions=False, methods=()) -> str:
    """Run every sweep, draw the figures, write the claims table and the summary.

    ``datasets`` (DatasetSpec list) replaces the paper's data sets, e.g. with a user's table.
    ``methods`` names registered scorers of your own (:func:`fairflip.register_scorer` or
    the ``fairflip.scorers`` entry points) to run beside the built-in ones: they appear in
    the figures, and ``claims.csv`` compares each with every RB method and random (scope
    ``beyond the paper``).
    """

    start = time.monotonic()
    clock = PhaseClock()
    with clock.phase("load data sets"):
        # Loads every data set and checks the methods: bad input fails here.
        configs = reproduce_configs(quick, datasets, methods)
        for cfg in configs:
            for spec in cfg.datasets:
                problem_for(spec)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for cfg in configs:
        if progress:
            print(f"reproduce: sweep {cfg.name!r}", file=sys.stderr, flush=True)
        with clock.phase(f"sweep {cfg.name}"):
            run_sweep(cfg, out / "results.duckdb", n_jobs=n_jobs, backend=backend,
                      scheduler=scheduler, progress=progress,
                      allow_mixed_versions=allow_mixed_versions)
    with ResultStore(out / "results.duckdb") as store:
        df = store.frame()
        infeasible = store.infeasible()
    if progress:
        print("reproduce: toy example, figures, claims", file=sys.stderr, flush=True)
    toy, toy_fig, fig1 = None, None, None
    if datasets is None:  # the paper's toy example belongs to the paper's data sets
        with clock.phase("toy example"):
            toy = toy_experiment(TOY_SEEDS)
            write_table(toy, out / "toy.csv")
            # The paper's own Figure-1 toy (scope 'paper'); toy2d is our Gaussian toy.
            fig1 = figure1_claim_rows()
            write_table(fig1, out / "figure1.csv")
            # Figure 1: seed, scorer and flip count fixed before any toy run (TOY_FIGURE).
            toy_fig = toy_figure_inputs(flips=TOY_FLIPS, **TOY_FIGURE)
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
    if datasets is None:
        # Studies beyond the paper on the paper's data sets; their rows are measurements.

        # The label-audit study keeps its own results file (audits.duckdb).
        with clock.phase("label-audit study"):
            audit_figures, audit_rows = run_audit_study(
                out, quick=quick, n_jobs=n_jobs, backend=backend, scheduler=scheduler,
                progress=progress)
        # One multi-group study per real data set (spillover figure, rows).
        with clock.phase("multi-group studies"):
            group_rows, group_figures = run_group_studies(out, configs[0].seeds[:GROUP_STUDY_SEEDS])
        figures = [*figures, *audit_figures, *group_figures]
        claims = pd.concat([claims, audit_rows, rows_frame(group_rows)], ignore_index=True)
    # Beyond the paper: budget choices without hindsight (advisor, firm-validation, fixed).
    with clock.phase("advice study"):
        advice = advice_table(df, alpha=ADVICE_ALPHA)
        claims = pd.concat([claims, rows_frame(advice_rows(df, alpha=ADVICE_ALPHA))],
                           ignore_index=True)
        write_table(advice, out / "advice.csv")
        figures = [*figures, *plot_advisor_figures(configs[0].datasets, out / "figures")]
    with clock.phase("advice with few known rows"):  # issue 23: 10 to all rows, stated rate
        paper = dict.fromkeys(d for c in configs if c.name.startswith("collective-size")
                              for d in c.datasets)
        k_rows, k_figures = run_knowledge_advice_study(
            out, tuple(paper), quick=quick, n_jobs=n_jobs if backend == "loky" else 1)
        claims = pd.concat([claims, rows_frame(k_rows)], ignore_index=True)
        figures = [*figures, *k_figures]
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
                      _summary(claims, elapsed, quick, specs.values(), len(df), figures)
                      + _infeasible_section(infeasible) + _efficiency_section(efficiency)
                      + advice_section(advice) + clock.markdown())
    if progress:
        print(f"reproduce: {report}", file=sys.stderr, flush=True)
    return (f"wrote {out}/results.duckdb ({len(df)} rows), {len(figures)} figure files, "
            f"claims.csv ({_verdict_counts(claims)}), summary.md, report.html "
            f"in {elapsed:.0f} s")


def _infeasible_section(table: pd.DataFrame) -> str:
    if table.empty:
        return ""
    counts = table.groupby(["dataset", "method", "alpha", "knowledge", "reason"]).size()
    lines = ["", "## Infeasible cells (recorded, skipped by the claims)", "",
             "| dataset | method | alpha | knowledge | seeds | reason |", "|---|---|---|---|---|---|"]
    lines += [f"| {d} | {m} | {a:g} | {k} | {n} | {r} |" for (d, m, a, k, r), n in counts.items()]
    return "\n".join(lines) + "\n"
