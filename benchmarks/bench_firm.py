"""Time the firm-side traces before and after issue 24's warm starts, side by side in one run.

Each method's default knob grid on one job's split (as a sweep builds it: 30 % test rows,
half of them firm-validation, group column in X), traced two ways:

(a) before -- the loop of cold fits the traces used to run: one ``make_model("logreg")`` fit
              per knob (massaging's labellings, reweighing's weights, correlation_remover's
              features; its CorrelationRemover fitted per alpha), and expgrad with cold
              scikit-learn best responses (``_EXPGRAD_WARM_START = False``);
(b) after  -- :func:`fairflip.baselines.trace_predictions` as it stands: massaging's
              labellings as the columns of one batched fit, reweighing and
              correlation_remover warm-started from the last knob, expgrad's best responses
              warm-started from the previous one.

Both include the unconstrained base fit. ``same`` says whether every knob's test
predictions agree. The contenders alternate (a, b, b, a, ...) over ``--repeats`` runs and
the sums are compared; CPU seconds (``*_cpu_s``) and the load average before and after are
reported beside wall seconds, because the shared machine's wall times swing with other
jobs. Run it with one BLAS thread (``OMP_NUM_THREADS=1``), as a sweep's workers do. Not a
test: CI times nothing.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_firm.py [--data adult:sex] [--repeats 2]
        [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings

import numpy as np

import fairflip.baselines._trace as trace
from fairflip.baselines import (
    DEFAULT_KNOBS,
    massage_labels,
    massaging_pairs,
    reweighing_weights,
    trace_predictions,
)
from fairflip.data import load_dataset, split_problem
from fairflip.experiments import carve_validation
from fairflip.learning import make_model

SEED = 0
# expgrad does not run on Adult in the reproduction (about 2 hours for 10 seeds).
METHODS = {"adult": ("massaging", "reweighing", "correlation_remover"),
           "compas": ("expgrad", "massaging", "reweighing", "correlation_remover"),
           "german": ("expgrad", "massaging", "reweighing", "correlation_remover")}


def _split(name, sensitive):
    full = split_problem(load_dataset(name, sensitive=sensitive), random_state=SEED,
                         test_size=0.3, group_feature=True)
    return carve_validation(full, SEED, 0.5)[0]


def _cold(method, split):
    """The cold loop of (a): test predictions per default knob."""
    X, y, g, Xt = split.X_train, split.y_train, split.g_train, split.X_test
    knobs = DEFAULT_KNOBS[method]
    base = make_model("logreg").fit(X, y)
    if method == "massaging":
        plan = massaging_pairs(y, g, base.predict_proba(X)[:, 1])
        pairs = [int(np.rint(f * plan.n_pairs_max)) for f in knobs]
        return [make_model("logreg").fit(X, massage_labels(y, plan, n_pairs=n)).predict(Xt)
                if n else base.predict(Xt) for n in pairs]
    if method == "reweighing":
        return [make_model("logreg").fit(X, y, sample_weight=reweighing_weights(
            y, g, strength=t)).predict(Xt) if t else base.predict(Xt) for t in knobs]
    from fairlearn.preprocessing import CorrelationRemover

    col, out = split.group_column, []
    for alpha in knobs:
        cr = CorrelationRemover(sensitive_feature_ids=[col], alpha=alpha).fit(X)
        out.append(make_model("logreg").fit(cr.transform(X), y).predict(cr.transform(Xt)))
    return out


def _run(method, split, before):
    trace._LAST_BASE[:] = [None, None, None]  # each run pays for its own base fit
    if method != "expgrad":
        return _cold(method, split) if before else trace_predictions(
            method, split, random_state=SEED)[1]
    trace._EXPGRAD_WARM_START = not before
    try:
        return trace_predictions(method, split, random_state=SEED)[1]
    finally:
        trace._EXPGRAD_WARM_START = True


def bench(method, split, repeats):
    times = {True: [0.0, 0.0], False: [0.0, 0.0]}
    preds = {}
    for r in range(repeats):
        for before in ((True, False) if r % 2 == 0 else (False, True)):
            t, c = time.perf_counter(), time.process_time()
            preds[before] = _run(method, split, before)
            times[before][0] += time.perf_counter() - t
            times[before][1] += time.process_time() - c
    same = all(np.array_equal(np.asarray(a), np.asarray(b))
               for a, b in zip(preds[True], preds[False], strict=True))
    (bw, bc), (aw, ac) = times[True], times[False]
    return {"method": method, "before_s": round(bw, 3), "after_s": round(aw, 3),
            "before_cpu_s": round(bc, 3), "after_cpu_s": round(ac, 3),
            "ratio": round(bw / aw, 2), "ratio_cpu": round(bc / ac, 2), "same": same}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="adult:sex", help="name:sensitive (adult, compas, "
                        "german)")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    name, _, sensitive = args.data.partition(":")
    load_before = os.getloadavg()
    split = _split(name, sensitive or None)
    with warnings.catch_warnings():
        trace._silence_known_warnings()
        rows = [bench(m, split, args.repeats) for m in METHODS[name]]
    result = {"data": args.data, "train_rows": int(split.y_train.size), "repeats": args.repeats,
              "methods": rows,
              "load_average": [round(x, 2) for x in (*load_before, *os.getloadavg())]}
    if args.format == "json":
        print(json.dumps(result))
        return
    print(f"{args.data}: {result['train_rows']} training rows, {args.repeats} runs each; "
          f"load average {result['load_average']}")
    for r in rows:
        print(f"  {r['method']:<20} before {r['before_s']:6.2f} s ({r['before_cpu_s']:6.2f} CPU)"
              f"  after {r['after_s']:6.2f} s ({r['after_cpu_s']:6.2f} CPU)  ratio "
              f"{r['ratio']:5.2f} (CPU {r['ratio_cpu']:5.2f})  same predictions: {r['same']}")


if __name__ == "__main__":
    main()
