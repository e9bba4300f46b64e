"""Calibrated equalized odds, ours against aif360, per data set and cost constraint.

The numbers of docs/calibrated-eo.md: COMPAS (race) and Adult (sex), splits 0-9 (30 % test),
the post-processor fitted as ``trace_method`` fits it (30 % of the training rows held out,
the logistic regression fitted on the rest), the front of the default knob grid from the
model (knob 0) to full equalisation (knob 1). For each (data set, cost constraint, rule):
the mean over splits of the lowest EqOd along the front and of its error, and of the point
at full equalisation. Rules: "ours" (labels drawn from the post-processed scores, the
default), "aif360 drawn" (the same from aif360's post-processed scores), "aif360
thresholded" (aif360's own predict, >= 0.5), "before" (the old trace: thresholded, fitted on
the training rows the model learnt from, the model fitted on every training row).

Needs aif360 (``pip install 'aif360>=0.6.1,<0.7'``). About two minutes on two busy cores.
"""

import logging
import warnings

import numpy as np
import pandas as pd

from fairflip.baselines import (
    CALIBRATION_SHARE,
    COST_CONSTRAINTS,
    DEFAULT_KNOBS,
    CalibratedEqualizedOdds,
    trace_method,
)
from fairflip.data import load_dataset, split_problem, split_validation
from fairflip.learning import make_model
from fairflip.metrics import fairness_report

logging.disable(logging.WARNING)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from aif360.algorithms.postprocessing import CalibratedEqOddsPostprocessing
    from aif360.datasets import BinaryLabelDataset
logging.disable(logging.NOTSET)

KNOBS = np.asarray(DEFAULT_KNOBS["calibrated_eo"])
INT_MAX = np.iinfo(np.int32).max


def aif_dataset(y, g, scores):
    df = pd.DataFrame({"group": g.astype(float), "label": y.astype(float)})
    data = BinaryLabelDataset(df=df, label_names=["label"], protected_attribute_names=["group"],
                              favorable_label=1.0, unfavorable_label=0.0)
    data.scores = np.asarray(scores, float).reshape(-1, 1)
    return data


def front(split, u, post, base):
    rows = pd.DataFrame([fairness_report(split.y_test, np.where(u < k, post, base), split.g_test)
                         for k in KNOBS])
    i = rows["eqod"].idxmin()
    return dict(low_eqod=rows["eqod"][i], low_error=rows["error"][i], low_knob=KNOBS[i],
                end_eqod=rows["eqod"].iloc[-1], end_error=rows["error"].iloc[-1])


def main(seeds=range(10)):
    out = []
    for dataset, sensitive in (("compas", "race"), ("adult", "sex")):
        problem = load_dataset(dataset, sensitive=sensitive)
        for seed in seeds:
            split = split_problem(problem, random_state=seed)
            # The trace's draws from random_state, in order: hold-out seed, post-processor
            # seed, mixing uniforms.
            rng = np.random.RandomState(seed)
            cal = split_validation(split, val_size=CALIBRATION_SHARE,
                                   random_state=int(rng.randint(INT_MAX)))
            post_seed = int(rng.randint(INT_MAX))
            u = rng.random_sample(split.y_test.size)
            model = make_model("logreg").fit(cal.X_train, cal.y_train)
            s_cal = model.predict_proba(cal.X_test)[:, 1]
            s_test = model.predict_proba(split.X_test)[:, 1]
            base = model.predict(split.X_test)
            full = make_model("logreg").fit(split.X_train, split.y_train)
            full_base = full.predict(split.X_test)
            m = fairness_report(split.y_test, base, split.g_test)
            f = fairness_report(split.y_test, full_base, split.g_test)
            drawn = np.random.RandomState(seed).random_sample(s_test.size) < s_test
            d = fairness_report(split.y_test, drawn.astype(np.int8), split.g_test)
            common = dict(dataset=dataset, seed=seed, model_eqod=m["eqod"], model_error=m["error"],
                          firm_eqod=f["eqod"], firm_error=f["error"], drawn_eqod=d["eqod"],
                          drawn_error=d["error"])
            trace = trace_method("calibrated_eo", split, random_state=seed)
            for cost in COST_CONSTRAINTS:
                ours = trace[trace["method"] == f"calibrated_eo_{cost}"].reset_index(drop=True)
                i = ours["eqod"].idxmin()
                ceo = CalibratedEqualizedOdds(cost_constraint=cost).fit(s_cal, cal.y_test, cal.g_test)
                out.append(dict(common, cost=cost, rule="ours", mix=ceo.mix_rate_.max(),
                                withheld=int(np.argmax(ceo.mix_rate_)), low_eqod=ours["eqod"][i],
                                low_error=ours["error"][i], low_knob=ours["knob"][i],
                                end_eqod=ours["eqod"].iloc[-1], end_error=ours["error"].iloc[-1]))
                ref = CalibratedEqOddsPostprocessing(
                    unprivileged_groups=[{"group": 1}], privileged_groups=[{"group": 0}],
                    cost_constraint=cost, seed=seed)
                state = np.random.get_state()
                ref.fit(aif_dataset(cal.y_test, cal.g_test, np.zeros(cal.y_test.size)),
                        aif_dataset(cal.y_test, cal.g_test, s_cal))
                pred = ref.predict(aif_dataset(split.y_test, split.g_test, s_test))
                np.random.set_state(state)
                scores, labels = pred.scores.ravel(), pred.labels.ravel().astype(np.int8)
                rate = max(ref.priv_mix_rate, ref.unpriv_mix_rate)
                n = scores.size
                v = np.random.RandomState(post_seed).random_sample(2 * n)[n:]
                out.append(dict(common, cost=cost, rule="aif360 drawn", mix=rate,
                                **front(split, u, (v < scores).astype(np.int8), base)))
                out.append(dict(common, cost=cost, rule="aif360 thresholded", mix=rate,
                                **front(split, u, labels, base)))
                old = CalibratedEqualizedOdds(cost_constraint=cost, threshold=0.5).fit(
                    full.predict_proba(split.X_train)[:, 1], split.y_train, split.g_train)
                old_rng = np.random.RandomState(seed)
                old_post = old.predict(full.predict_proba(split.X_test)[:, 1], split.g_test,
                                       random_state=old_rng)
                out.append(dict(common, cost=cost, rule="before", mix=old.mix_rate_.max(),
                                **front(split, old_rng.random_sample(n), old_post, full_base)))
    return pd.DataFrame(out)


if __name__ == "__main__":
    df = main()
    cols = ["mix", "low_eqod", "low_error", "low_knob", "end_eqod", "end_error", "model_eqod",
            "model_error", "firm_eqod", "firm_error", "drawn_eqod", "drawn_error"]
    table = df.groupby(["dataset", "cost", "rule"], sort=False)[cols].mean()
    table["low_eqod_sd"] = df.groupby(["dataset", "cost", "rule"], sort=False)["low_eqod"].std()
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    print(table.round(3).to_string())
