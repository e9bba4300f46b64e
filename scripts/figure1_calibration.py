"""Fix the Figure-1 toy's two free parameters from the zero-flip numbers only.

Run once, before any flip was evaluated (``PYTHONPATH=src python scripts/figure1_calibration.py``).
The other parameters of :func:`fairflip.data.make_figure1_toy` are read off the figure
(160 points, 40 of them minority, half of each group positive, minority about 3 times wider
and 5 majority standard deviations below). Two remain: ``majority_separation`` (the
majority's overlap, which sets the base error) and ``minority_shift`` (how far left of the
majority's the minority's own split lies, which sets the EqOd gap).

Target (the paper's bars before collective action): error 0.15, EqOd 0.13, on the plotted
points (the firm trains and is scored on the same 160 points), with the figure's firm: a
logistic regression on the two coordinates. The figure's drawn boundary is one straight line
in each panel, and scikit-learn's LogisticRegression on the two coordinates of the poster's
own points reproduces it, so the figure's firm does not see the group. The group-aware
variant (the indicator as a third feature) is printed beside it but not fitted: with it the
group intercept absorbs the shift, so these two knobs cannot move its EqOd much.

Criterion, fixed before running: the grid point whose mean over seeds 1000-1199 (never the
study's seeds) minimises (error - 0.15)^2 + (eqod - 0.13)^2, on a grid of separation 2.0 ..
3.0 (step 0.1) x shift -1 .. -8 (step 0.5). Prints the best ten and the chosen one's numbers,
also on a 20,000-row population for reference.

Output (the run that fixed FIGURE1_PARAMS; 75 s)::

    distance  separation  shift  error  eqod   (plotted points, mean of 200 seeds)
    0.00001   2.6         -6.0  0.153  0.129
    0.00003   2.7         -6.5  0.152  0.135
    0.00005   2.8         -7.0  0.151  0.137
    ...
    chosen: majority_separation=2.6, minority_shift=-6.0
      group-aware=False scored on plotted points: error 0.153 (sd 0.028), EqOd 0.129 (sd 0.040)
      group-aware=False scored on population: error 0.157 (sd 0.006), EqOd 0.134 (sd 0.041)
      group-aware=True  scored on plotted points: error 0.121 (sd 0.024), EqOd 0.087 (sd 0.026)
      group-aware=True  scored on population: error 0.127 (sd 0.008), EqOd 0.091 (sd 0.037)
"""

import itertools

import numpy as np

from fairflip.data import make_figure1_toy
from fairflip.learning import make_model
from fairflip.metrics import fairness_report

SEEDS = range(1000, 1200)
TARGET = (0.15, 0.13)
SEPARATIONS = np.round(np.arange(2.0, 3.01, 0.1), 2)
SHIFTS = np.round(np.arange(-1.0, -8.01, -0.5), 2)


def zero_flip(seed, *, aware=False, population=False, **params):
    toy = make_figure1_toy(random_state=seed, **params)

    def design(p):
        X = p.features.to_numpy()
        return np.column_stack([X, p.group]) if aware else X

    model = make_model("logreg").fit(design(toy), toy.y)
    test = make_figure1_toy(n_points=20_000, random_state=seed + 10_000, **params) \
        if population else toy
    rep = fairness_report(test.y, model.predict(design(test)), test.group)
    return rep["error"], rep["eqod"]


def mean_over_seeds(**kw):
    v = np.array([zero_flip(s, **kw) for s in SEEDS])
    return v.mean(axis=0), v.std(axis=0)


def main():
    rows = []
    for sep, shift in itertools.product(SEPARATIONS, SHIFTS):
        (err, eqod), _ = mean_over_seeds(majority_separation=sep, minority_shift=shift)
        rows.append((float((err - TARGET[0]) ** 2 + (eqod - TARGET[1]) ** 2), sep, shift,
                     err, eqod))
    rows.sort()
    print("distance  separation  shift  error  eqod   (plotted points, mean of 200 seeds)")
    for r in rows[:10]:
        print("{:.5f}   {:.1f}        {:5.1f}  {:.3f}  {:.3f}".format(*r))
    _, sep, shift, *_ = rows[0]
    print(f"chosen: majority_separation={sep}, minority_shift={shift}")
    for aware in (False, True):
        for population in (False, True):
            (err, eqod), (s_err, s_eqod) = mean_over_seeds(
                majority_separation=sep, minority_shift=shift, aware=aware,
                population=population)
            print(f"  group-aware={aware!s:5} scored on "
                  f"{'population' if population else 'plotted points'}: error {err:.3f} "
                  f"(sd {s_err:.3f}), EqOd {eqod:.3f} (sd {s_eqod:.3f})")


if __name__ == "__main__":
    main()
