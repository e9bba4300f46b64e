"""The Figure-1 plot writes PNG and SVG with the paper's layout and checks its inputs."""

import numpy as np
import pytest

from fairflip.exceptions import ConfigError, DataError
from fairflip.plotting._figure1 import plot_figure1

FIT = {"coef": np.array([1.0, 0.2]), "intercept": 0.1, "error": 0.15, "eqod": 0.13}


def _points():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    group = (np.arange(40) < 10).astype(int)
    y = (X[:, 0] > 0).astype(int)
    return X, y, group


def test_writes_png_and_svg(tmp_path):
    X, y, group = _points()
    flipped = np.flatnonzero((group == 1) & (y == 0))[:3]
    after = {**FIT, "coef": np.array([1.0, 0.3, -0.4]), "eqod": 0.03}
    paths = plot_figure1(X, y, group, flipped, FIT, after, tmp_path, title="toy")
    assert [p.name for p in paths] == ["figure1.png", "figure1.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text()
    for text in ("feature x1", "feature x2", "Before collective action",
                 "After collective action (3 flips)", "EqOd 0.130", "EqOd 0.030",
                 "relabeled 0 -&gt; 1"):
        assert text in svg


def test_bad_inputs(tmp_path):
    X, y, group = _points()
    positive = np.flatnonzero(y == 1)[:1]
    with pytest.raises(ConfigError, match="^The 'flipped' parameter must name rows labelled 0"):
        plot_figure1(X, y, group, positive, FIT, FIT, tmp_path)
    with pytest.raises(DataError, match=r"^The 'X' parameter must have shape \(n, 2\)"):
        plot_figure1(np.c_[X, X[:, 0]], y, group, [], FIT, FIT, tmp_path)
    with pytest.raises(ConfigError, match="^The 'after' parameter must be a dict"):
        plot_figure1(X, y, group, [], FIT, {"coef": [1.0]}, tmp_path)
    assert not list(tmp_path.iterdir())
