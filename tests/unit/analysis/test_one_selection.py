"""Rule 13: the collective-size numbers are chosen once; the figure, the report's chart and the
claims show the same series (they once differed: per-seed minimum vs seed-mean argmin)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fairflip import analysis
from fairflip.analysis import claims
from fairflip.plotting import _collective, plot_collective_size
from fairflip.report import _charts


def _results(seeds=4):
    """Two scorers, three alphas, a budget grid; seeds whose best budgets differ, so the
    per-seed minimum and the seed-mean argmin give different series."""
    rng = np.random.default_rng(7)
    rows = []
    for seed in range(seeds):
        for method in ("rb-prob", "random"):
            for alpha in (0.1, 0.3, 0.4):
                for budget in (0, 10, 20, 30, 40):
                    eqod = 0.2 - alpha * budget / 200 + (budget / 40 - 0.5) ** 2 * 0.2
                    eqod = max(eqod + rng.normal(0, 0.03) * (budget > 0), 0.001)
                    rows.append({"dataset": "compas", "family": "collective", "method": method,
                                 "alpha": alpha, "knowledge": "all", "k": np.nan,
                                 "model": "logreg", "budget": budget, "n_flips": budget,
                                 "seed": seed, "eqod": eqod, "error": 0.3 + budget / 1000,
                                 "base_eqod": 0.2, "base_error": 0.3})
    return pd.DataFrame(rows)


def _figure_series(df, tmp_path, monkeypatch) -> dict:
    captured = {}

    def keep(fig, out_dir, name):
        captured["fig"] = fig
        return []

    monkeypatch.setattr(_collective.c, "save_figure", keep)
    plot_collective_size(df, tmp_path, dataset="compas")
    ax = captured["fig"].axes[0]  # the hindsight panel
    out = {}
    for container in ax.containers:
        line = container.lines[0]
        points = zip(line.get_xdata(), line.get_ydata(), strict=True)
        out[container.get_label()] = {round(float(x), 6): float(y) for x, y in points}
    return out


def _report_series(df) -> dict:
    chart = _charts.collective_size(df, dataset="compas", anchor="x")
    data = [v for v in chart.spec["datasets"].values()][0]
    out: dict = {}
    for row in data:
        out.setdefault(row["series"], {})[round(row["alpha"], 6)] = row["eqod_mean"]
    return out


def test_figure_report_and_claims_show_one_series(tmp_path, monkeypatch):
    df = _results()
    figure = _figure_series(df, tmp_path, monkeypatch)
    report = _report_series(df)
    assert set(figure) == set(report) == {"rb-prob", "random"}
    for method in figure:
        # the report rounds its data to 6 digits (report/_charts._slim)
        assert figure[method] == pytest.approx(report[method], abs=1e-6)
    rows = pd.DataFrame(claims.claim_collective_size(df, selections=("hindsight",)))
    falls = rows[rows.claim == "collective size: best EqOd falls with alpha"].set_index("method")
    for method in figure:
        assert falls.loc[method, "measured"] == pytest.approx(
            figure[method][0.3] - figure[method][0.1], abs=1e-12)


def test_the_old_per_seed_minimum_is_a_different_series(tmp_path, monkeypatch):
    """Negative control: the equality above is not automatic on these rows."""
    df = _results()
    figure = _figure_series(df, tmp_path, monkeypatch)
    per_seed = analysis.select_points(df, selection="seed-hindsight", by=["method", "alpha"])
    old = per_seed.groupby(["method", "alpha"])["eqod"].mean()
    assert any(abs(old[(m, a)] - figure[m][a]) > 1e-3 for m in figure for a in figure[m])
