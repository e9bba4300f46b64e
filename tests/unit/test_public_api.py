"""The curated top-level API and the deprecated aliases of renamed parameters."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import fairflip
from fairflip.data import make_synthetic
from fairflip.metrics import fairness_report


def test_every_public_name_resolves():
    for name in fairflip.__all__:
        assert getattr(fairflip, name) is not None
    assert fairflip.CollectiveRelabeler.__module__ == "fairflip.organiser._relabeler"
    assert set(fairflip.__all__) <= set(dir(fairflip))
    with pytest.raises(AttributeError):
        fairflip.not_a_name  # noqa: B018


def test_import_is_light():
    code = ("import sys, fairflip; heavy = [m for m in ('matplotlib', 'sklearn', 'pandas') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_old_parameter_names_warn_and_give_the_same_result():
    problem = make_synthetic(n_rows=400, random_state=0)
    new = fairflip.evaluate(problem, method="random", budget=5, random_state=1)
    with pytest.warns(FutureWarning, match="'flips' parameter of evaluate"):
        old = fairflip.evaluate(problem, method="random", flips=5, random_state=1)
    assert new.after == old.after
    with pytest.warns(FutureWarning, match="'seed'"):
        assert fairflip.evaluate(problem, method="random", budget=5, seed=1).after == new.after
    with pytest.raises(TypeError, match="deprecated name"):
        fairflip.evaluate(problem, budget=5, flips=5)
    y = np.array([0, 1, 1, 0])
    with pytest.warns(FutureWarning, match="'group'"):
        assert fairness_report(y, y, group=[0, 1, 0, 1]) == fairness_report(y, y, groups=[0, 1, 0, 1])


def test_cli_old_option_names_warn(capsys, tmp_path):
    from fairflip.cli import main

    args = ["evaluate", "--dataset", "toy2d", "--alpha", "1.0", "--format", "json"]
    assert main([*args, "--budget", "2", "--random-state", "1"]) == 0
    new = capsys.readouterr().out
    assert main([*args, "--flips", "2", "--seed", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == new
    assert "--flips is deprecated" in captured.err and "--seed is deprecated" in captured.err
    assert main([*args, "--flips", "2", "--budget", "2"]) == 2
