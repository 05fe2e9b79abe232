#!/usr/bin/env python3
"""Prints the reference values that Tests/AssayCoreTests embed, computed by the reference libraries
(measured with scikit-learn 1.9.1, statsmodels 0.15.0, krippendorff 0.9.0, numpy 2.4.6).

Run: python3 -m venv /tmp/ref && /tmp/ref/bin/pip install scikit-learn statsmodels krippendorff
     /tmp/ref/bin/python scripts/reference-values.py
"""
import random

import krippendorff
import numpy as np
from sklearn.metrics import accuracy_score, cohen_kappa_score, precision_recall_fscore_support
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

UNPARSED = "<unparsed>"  # not in `labels`, so it is a miss for its true class and no class's prediction


def classification(name, labels, y_true, y_pred):
    print(f"== {name}")
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    for row in zip(labels, p, r, f, s):
        print("  %-5s precision=%.12f recall=%.12f f1=%.12f support=%d" % row)
    for average in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average, zero_division=0)
        print("  %-8s precision=%.12f recall=%.12f f1=%.12f" % (average, p, r, f))
    print("  accuracy=%.12f" % accuracy_score(y_true, y_pred))


labels = ["neg", "neu", "pos"]
y_true = "pos neg neu neu pos neg neu pos neu neg".split()
y_pred = "pos neg neu pos pos neu neu pos neg neg".split()
classification("brief vector", labels, y_true, y_pred)
y_pred_unparsed = list(y_pred)
y_pred_unparsed[3] = UNPARSED
classification("brief vector, y_pred[3] unparsed", labels, y_true, y_pred_unparsed)

# 200 items, 4 labels, about 8% unparsed answers; '-' marks an unparsed answer in the printed strings.
rng = random.Random(20261122)
letters = "abcd"
truth = [rng.choice(letters) for _ in range(200)]
pred = []
for t in truth:
    u = rng.random()
    pred.append(t if u < 0.55 else ("-" if u < 0.63 else rng.choice(letters)))
print("truth200=" + "".join(truth))
print("pred200=" + "".join(pred))
classification("random 200", list(letters), truth, [UNPARSED if x == "-" else x for x in pred])
kept = [(t, x) for t, x in zip(truth, pred) if x != "-"]
classification("random 200, unparsed excluded", list(letters), [t for t, _ in kept], [x for _, x in kept])

# Zero division: "c" is never predicted (precision 0/0); "d" is predicted but never true (recall 0/0).
classification("zero division", ["a", "b", "c", "d"], list("aabbcc"), list("aabdaa"))

print("== McNemar exact [[50,5],[15,30]] p=%.12f" % mcnemar([[50, 5], [15, 30]], exact=True).pvalue)
print("== McNemar exact [[10,0],[0,7]] p=%.12f" % mcnemar([[10, 0], [0, 7]], exact=True).pvalue)
print("== McNemar exact [[3,40],[60,2]] p=%.12f" % mcnemar([[3, 40], [60, 2]], exact=True).pvalue)

r1 = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 4]
r2 = [1, 3, 3, 5, 5, 2, 2, 4, 4, 2, 3, 3]
for weights in (None, "linear", "quadratic"):
    print("== Cohen %s %.12f" % (weights, cohen_kappa_score(r1, r2, weights=weights)))

fleiss = [[1, 1, 1], [1, 2, 1], [2, 2, 2], [3, 3, 2], [3, 3, 3], [1, 3, 2], [2, 2, 2], [1, 1, 2]]
print("== Fleiss %.12f" % fleiss_kappa(aggregate_raters(np.array(fleiss))[0]))

nan = np.nan
wiki = [[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]]
for level in ("nominal", "ordinal", "interval"):
    print("== Krippendorff 3x15 %s %.12f" % (level, krippendorff.alpha(reliability_data=wiki, level_of_measurement=level)))
paper = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
for level in ("nominal", "ordinal", "interval"):
    print("== Krippendorff 4x12 %s %.12f" % (level, krippendorff.alpha(reliability_data=paper, level_of_measurement=level)))
