"""The label-audit study of ``fairflip reproduce`` (beyond the paper).

Adult and COMPAS at alpha 0.3, a few budgets, every scorer, the firm auditing with cleanlab
and with the loss filter and responding by dropping or relabelling. Its rows go to their own
results file (``audits.duckdb``): the audit grid's coarse budgets would otherwise sit next to
the paper's grids in the same curves. It draws ``detection_<data>`` and ``audited_<data>``
and returns measurement rows for the claims table, marked as beyond the paper.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .._names import RB_SCORERS
from ..analysis import best_point, measurement_row, rows_frame
from ..experiments import DatasetSpec, ResultStore, SweepConfig, run_sweep
from ..plotting import plot_audited, plot_detection

__all__ = ["audit_configs", "audit_measurements", "run_audit_study"]

ALPHA = 0.3
BEYOND = "beyond the paper"


def audit_configs(quick: bool) -> list[SweepConfig]:
    """The audit grids: 2 seeds in quick mode, 5 in full; Adult at 0, 15 % and 30 % of the
    candidate pool (every audited budget refits the firm several times on 31,000 rows; its
    RB scorers do best near 15 %), COMPAS at 0 to 100 % in steps of 25 %."""
    common = {"seeds": tuple(range(2 if quick else 5)), "methods": (*RB_SCORERS, "random"),
              "alphas": (ALPHA,), "audits": ("none", "cleanlab", "loss"),
              "audit_actions": ("drop", "relabel")}
    return [SweepConfig(datasets=(DatasetSpec("adult", "sex"),), budget_points=3,
                        budget_max_fraction=0.3, name="audits-adult", **common),
            SweepConfig(datasets=(DatasetSpec("compas", "race"),), budget_points=5,
                        budget_max_fraction=1.0, name="audits-compas", **common),
            # The stealth plan against cleanlab-and-drop, on COMPAS only (each budget re-plans
            # with up to three cross-fits of the collective's shadow pool).
            SweepConfig(datasets=(DatasetSpec("compas", "race"),), budget_points=5,
                        budget_max_fraction=1.0, name="audits-stealth",
                        **{**common, "audits": ("cleanlab",), "audit_actions": ("drop",),
                           "avoid_audit": (True,)})]


def run_audit_study(out, *, quick=False, n_jobs=2, backend="loky", scheduler=None,
                    progress=True) -> tuple[list[Path], pd.DataFrame]:
    """Run the audit sweep into ``out/audits.duckdb``; (figure files, measurement rows).

    ``progress`` as :func:`fairflip.experiments.run_sweep` takes it."""

    out = Path(out)
    configs = audit_configs(quick)
    for config in configs:
        if progress is True:  # not when a caller's overall line observes the sweeps
            print(f"reproduce: sweep {config.name!r} (label audits, beyond the paper)",
                  file=sys.stderr, flush=True)
        run_sweep(config, out / "audits.duckdb", n_jobs=n_jobs, backend=backend,
                  scheduler=scheduler, progress=progress)
    with ResultStore(out / "audits.duckdb") as store:
        df = store.frame()
    figures = []
    for name in sorted({spec.name for config in configs for spec in config.datasets}):
        figures += plot_detection(df, out / "figures", dataset=name, alpha=ALPHA)
        figures += plot_audited(df, out / "figures", dataset=name, alpha=ALPHA)
    return figures, audit_measurements(df)


def _row(name, dataset, method, _scope, value, spread, _holds, detail):
    """A measurement row (beyond the paper, not claimed); the spread goes in the detail."""
    return measurement_row(name, dataset=dataset, method=method, value=value,
                           detail=f"{detail}; std over seeds {spread:.4f}")


def _mean_std(values) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    return float(np.nanmean(values)), float(np.nanstd(values))


def audit_measurements(df: pd.DataFrame) -> pd.DataFrame:
    """Measurement rows: detection by scorer, the EqOd gain that survives, false alarms."""
    rows = []
    audited = df[(df.family == "audited") & ~df.avoid_audit.fillna(False).astype(bool)]
    for dataset in sorted(set(audited.dataset)):
        aud = audited[audited.dataset == dataset]
        plain = df[(df.family == "collective") & (df.dataset == dataset)]
        for audit in sorted(set(aud.audit)):
            part = aud[(aud.audit == audit) & (aud.audit_action == "drop")]
            flips = part[part.n_flips > 0]
            random = flips[flips.method == "random"].groupby("seed").flag_recall.mean()
            for method in [m for m in RB_SCORERS if m in set(flips.method)]:
                rb = flips[flips.method == method].groupby("seed").flag_recall.mean()
                diff = (rb - random).dropna()
                m, sd = _mean_std(diff)
                rows.append(_row(
                    f"audit ({audit}): RB flips flagged less often than random flips",
                    dataset, method, BEYOND, m, sd, None,
                    f"share of flips flagged, mean over the nonzero budgets: {method} "
                    f"{rb.mean():.3f}, random {random.mean():.3f} (measured = difference)"))
            base = part[part.n_flips == 0]
            acting, sd = _mean_std(base.groupby("seed").flag_rate_acting.mean())
            other = float(base.flag_rate_other.mean())
            rows.append(_row(f"audit ({audit}): false-alarm rate on the acting group's rows",
                             dataset, "-", BEYOND, acting, sd, None,
                             f"rows flagged with no flips at all: acting group {acting:.3f}, "
                             f"other group {other:.3f}"))
            for action in sorted(set(aud.audit_action[aud.audit == audit])):
                resp = aud[(aud.audit == audit) & (aud.audit_action == action)]
                for method in sorted(set(resp.method)):
                    rows.append(_survival_row(dataset, audit, action, method,
                                              plain[plain.method == method],
                                              resp[resp.method == method]))
    rows += _stealth_rows(df)
    return rows_frame(rows)


def _stealth_rows(df: pd.DataFrame) -> list[dict]:
    """Flags the stealth plan avoids and the EqOd it costs, at each scorer's best budget."""
    rows = []
    audited = df[df.family == "audited"]
    stealthy = audited[audited.avoid_audit.fillna(False).astype(bool)]
    for (dataset, audit, action), st in stealthy.groupby(["dataset", "audit", "audit_action"]):
        plain_firm = audited[(audited.dataset == dataset) & (audited.audit == audit)
                             & (audited.audit_action == action)
                             & ~audited.avoid_audit.fillna(False).astype(bool)]
        plain = df[(df.family == "collective") & (df.dataset == dataset)]
        for method in sorted(set(st.method)):
            best = best_point(plain[plain.method == method])
            a = plain_firm[(plain_firm.method == method) & (plain_firm.budget == best)]
            b = st[(st.method == method) & (st.budget == best)]
            if a.empty or b.empty:
                continue
            avoided = (a.set_index("seed").flagged_flips - b.set_index("seed").flagged_flips).dropna()
            m, sd = _mean_std(avoided)
            rows.append(_row(
                f"stealth plan vs audit ({audit}, firm {action}s): flips flagged avoided",
                dataset, method, BEYOND, m, sd, None,
                f"best budget {best}: flips flagged {a.flagged_flips.mean():.1f} -> "
                f"{b.flagged_flips.mean():.1f}; EqOd after the response {a.eqod.mean():.3f} -> "
                f"{b.eqod.mean():.3f} (no audit, plain plan: "
                f"{plain[(plain.method == method) & (plain.budget == best)].eqod.mean():.3f})"))
    return rows


def _survival_row(dataset, audit, action, method, plain, resp):
    """Share of the EqOd gain at the scorer's best budget that is left after the response.

    Both gains are measured from the same untouched, unaudited firm: (base EqOd minus EqOd
    after the firm's audit and response) over (base EqOd minus EqOd without an audit), per
    seed. The audited firm's EqOd without any flips is in the detail: the audit alone moves it.
    """
    best = best_point(plain)
    shares = []
    for seed, grp in resp.groupby("seed"):
        plain_seed = plain[plain.seed == seed]
        base = float(plain_seed.base_eqod.iloc[0])
        gain = base - float(plain_seed[plain_seed.budget == best].eqod.iloc[0])
        kept = base - float(grp[grp.budget == best].eqod.iloc[0])
        shares.append(kept / gain if gain > 0 else np.nan)
    m, sd = _mean_std(shares)
    at_best = resp[resp.budget == best]
    return _row(f"audit ({audit}, firm {action}s): share of the EqOd gain that survives",
                dataset, method, BEYOND, m, sd, None,
                f"best budget {best} flips (no audit); EqOd base {plain.base_eqod.mean():.3f}, "
                f"no audit {plain[plain.budget == best].eqod.mean():.3f}, after the response "
                f"{at_best.eqod.mean():.3f}; audited firm without flips "
                f"{resp[resp.budget == 0].eqod.mean():.3f}; flips flagged "
                f"{at_best.flag_recall.mean():.3f}")
