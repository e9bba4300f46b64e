"""Every figure is written as PNG and SVG of the expected size; missing rows raise."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from fairflip.exceptions import ConfigError, DataError
from fairflip.plotting import (
    _common,
    plot_all,
    plot_collective_size,
    plot_flips,
    plot_knowledge,
    plot_pareto,
    plot_toy,
)

SIZE = tuple(round(v * _common.DPI) for v in _common.FIGSIZE)
WIDE = tuple(round(v * _common.DPI) for v in _common.WIDE_FIGSIZE)


def _check_written(paths, stem, size=SIZE):
    import matplotlib.image as mpimg

    assert [p.name for p in paths] == [f"{stem}.png", f"{stem}.svg"]
    assert all(p.stat().st_size > 1000 for p in paths)
    image = mpimg.imread(paths[0])
    assert image.shape[:2] == (size[1], size[0])
    assert paths[1].read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("metric, stem", [("eqod", "collective_size_toyset"),
                                          ("sp", "collective_size_sp_toyset")])
def test_collective_size(results, tmp_path, metric, stem):
    _check_written(plot_collective_size(results, tmp_path, dataset="toyset", metric=metric),
                   stem)


@pytest.mark.parametrize("metric, stem", [("eqod", "flips_toyset"), ("sp", "flips_sp_toyset")])
def test_flips(results, tmp_path, metric, stem):
    paths = plot_flips(results, tmp_path, dataset="toyset", alpha=0.3, metric=metric)
    _check_written(paths, stem, size=WIDE)


def test_knowledge(results, tmp_path):
    # one panel per scorer run with limited knowledge (rb-prob and random here)
    _check_written(plot_knowledge(results, tmp_path, dataset="toyset"), "knowledge_toyset",
                   size=WIDE)


@pytest.mark.parametrize("metric, stem", [("eqod", "pareto_toyset"), ("sp", "pareto_sp_toyset")])
def test_pareto(results, tmp_path, metric, stem):
    # one panel per collective size (0.1 and 0.3 here)
    _check_written(plot_pareto(results, tmp_path, dataset="toyset", metric=metric), stem,
                   size=WIDE)
    one = plot_pareto(results, tmp_path / "one", dataset="toyset", metric=metric, alphas=(0.3,))
    _check_written(one, stem)


def test_pareto_is_zoomed_where_claims_are_decided(results, tmp_path, monkeypatch):
    from fairflip.plotting import _pareto

    seen = []
    monkeypatch.setattr(_common, "save_figure", lambda fig, out, name: seen.append(fig) or [])
    _pareto.plot_pareto(results, tmp_path, dataset="toyset", alphas=(0.3,))
    ax = seen[0].axes[0]
    base_error = results.groupby("seed").base_error.first().mean()
    assert ax.get_xlim()[1] == pytest.approx(base_error + 0.03)
    assert ax.get_ylim()[0] == 0 and "firm-side" in seen[0]._suptitle.get_text()
    no_firm = results[results.family == "collective"]
    _pareto.plot_pareto(no_firm, tmp_path, dataset="toyset", alphas=(0.3,))
    assert "firm-side" not in seen[1]._suptitle.get_text()


def test_collective_size_uses_the_claims_selection_rule(results, tmp_path, monkeypatch):
    from fairflip.plotting import _collective

    seen = []
    monkeypatch.setattr(_common, "save_figure", lambda fig, out, name: seen.append(fig) or [])
    _collective.plot_collective_size(results, tmp_path, dataset="toyset")
    assert len(seen[0].axes) == 1  # no firm-validation columns: the hindsight panel only
    with_val = results.assign(firm_val_eqod=results.eqod, firm_val_error=results.error)
    _collective.plot_collective_size(with_val, tmp_path, dataset="toyset")
    assert [ax.get_title() for ax in seen[1].axes][1].endswith("firm-validation rows")


def _toy_inputs(with_group: bool):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    group = (np.arange(60) < 15).astype(np.int8)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int8)
    coef = [1.0, 1.0, -0.5] if with_group else [1.0, 1.0]
    before = {"coef": coef, "intercept": 0.1, "error": 0.15, "eqod": 0.13}
    after = {"coef": [1.0, 0.0], "intercept": [-0.2], "error": 0.15, "eqod": 0.03}
    return X, y, group, np.flatnonzero((group == 1) & (y == 0))[:6], before, after


@pytest.mark.parametrize("with_group", [False, True])
def test_toy(tmp_path, with_group):
    _check_written(plot_toy(*_toy_inputs(with_group), tmp_path, title="Toy"), "toy")


def test_toy_rejects_bad_inputs(tmp_path):
    X, y, group, flipped, before, after = _toy_inputs(False)
    with pytest.raises(DataError, match="'X' parameter"):
        plot_toy(X[:, :1], y, group, flipped, before, after, tmp_path)
    with pytest.raises(DataError, match="'flipped_idx' parameter"):
        plot_toy(X, y, group, [60], before, after, tmp_path)
    with pytest.raises(ConfigError, match="'after' parameter"):
        plot_toy(X, y, group, flipped, before, {"coef": [1.0]}, tmp_path)


def test_plot_all_draws_every_figure(results, tmp_path):
    paths = plot_all(results, tmp_path, toy=dict(zip(
        ("X", "y", "group", "flipped_idx", "before", "after"), _toy_inputs(False),
        strict=True)))
    stems = {p.stem for p in paths}
    assert stems == {"toy", "collective_size_toyset", "collective_size_sp_toyset",
                     "flips_toyset", "flips_sp_toyset", "knowledge_toyset",
                     "pareto_toyset", "pareto_sp_toyset"}
    assert len(paths) == 2 * len(stems)


def test_plot_all_skips_figures_without_rows(results, tmp_path):
    only_firm = results[results["family"] != "collective"]
    assert plot_all(only_firm, tmp_path) == []
    one_level = results[results["knowledge"].isin(["all", None])]
    stems = {p.stem for p in plot_all(one_level, tmp_path)}
    assert "knowledge_toyset" not in stems and "pareto_toyset" in stems


def test_plot_all_splits_models_into_separate_files(results, tmp_path):
    both = pd.concat([results, results.assign(model="hgb")]).drop(columns="sp")
    stems = {p.stem for p in plot_all(both, tmp_path)}
    assert {"flips_toyset_logreg", "flips_toyset_hgb"} <= stems
    assert "flips_toyset" not in stems


@pytest.mark.parametrize("func, kwargs, match", [
    (plot_collective_size, {"dataset": "nope"}, "'dataset' parameter"),
    (plot_flips, {"dataset": "toyset", "alpha": 0.7}, "'alpha' parameter"),
    (plot_pareto, {"dataset": "toyset", "metric": "tpr"}, "'metric' parameter"),
    (plot_pareto, {"dataset": "toyset", "knowledge": "3"}, "'knowledge' parameter"),
])
def test_missing_rows_raise_config_error(results, tmp_path, func, kwargs, match):
    with pytest.raises(ConfigError, match=match) as info:
        func(results, tmp_path, **kwargs)
    assert "\n" not in str(info.value)
    assert not list(tmp_path.iterdir())


def test_missing_collective_and_knowledge_rows_raise(results, tmp_path):
    firm_only = results[results["family"] != "collective"]
    with pytest.raises(ConfigError, match="collective-action rows"):
        plot_flips(firm_only, tmp_path, dataset="toyset")
    with pytest.raises(ConfigError, match="knowledge 'all' and another"):
        plot_knowledge(results[results["knowledge"] != "10"], tmp_path, dataset="toyset")
    with pytest.raises(ConfigError, match="'model' parameter"):
        plot_pareto(results.assign(model=np.where(results["seed"] == 0, "a", "b")), tmp_path,
                    dataset="toyset")


def test_null_knowledge_column_is_not_filtered(results, tmp_path):
    rows = results[results["knowledge"] != "10"].assign(knowledge=None)
    _check_written(plot_collective_size(rows, tmp_path, dataset="toyset"),
                   "collective_size_toyset")


def test_importing_plotting_does_not_import_matplotlib():
    code = "import sys, fairflip.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_plot_all_reports_skipped_figures_and_raises_real_errors(results, tmp_path, capsys,
                                                                 monkeypatch):
    """A figure the rows cannot support is skipped with a note on stderr; any other error
    propagates instead of leaving the figure missing without a word."""
    from fairflip.plotting import _all

    one_level = results[results["knowledge"].isin(["all", None])]
    plot_all(one_level, tmp_path)
    assert "figures: no knowledge figure for toyset" in capsys.readouterr().err

    def broken(*args, **kwargs):
        raise ConfigError("The 'name' parameter must be a bare file stem. Got 'a/b' instead.")

    monkeypatch.setattr(_all, "plot_flips", broken)
    with pytest.raises(ConfigError, match="bare file stem"):
        plot_all(results, tmp_path)
