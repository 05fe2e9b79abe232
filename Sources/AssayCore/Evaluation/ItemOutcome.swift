import AssaySupport
import Foundation

/// How one answer of a multiple-choice, exact-match, code or generation task was scored, stored
/// as JSON with its prediction: the per-item value of each quality figure and what it came from.
public struct ItemOutcome: Codable, Sendable, Equatable {
    /// One option of a multiple-choice item, scored by log-likelihood.
    public struct ChoiceLikelihood: Codable, Sendable, Equatable {
        public let text: String
        public let logLikelihood: Double

        public init(text: String, logLikelihood: Double) {
            self.text = text
            self.logLikelihood = logLikelihood
        }
    }

    /// Quality figure key ("acc", "pass@1", "rouge_l" ...) -> this item's value.
    public var scores: [String: Double]
    /// The answer as read: the option letter, the extracted final answer.
    public var extracted: String?
    /// Which extraction rule read it (`AnswerExtractor.Rule`).
    public var extractionRule: String?
    public var choices: [ChoiceLikelihood]?
    /// The code samples and how each ran, the first being the prediction's own output.
    public var samples: [CodeExecution]?

    public init(
        scores: [String: Double], extracted: String? = nil, extractionRule: String? = nil, choices: [ChoiceLikelihood]? = nil,
        samples: [CodeExecution]? = nil
    ) {
        self.scores = scores
        self.extracted = extracted
        self.extractionRule = extractionRule
        self.choices = choices
        self.samples = samples
    }

    public func score(_ metric: QualityMetric) -> Double? { scores[metric.key] }

    /// The JSON stored in `prediction.outcome`.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain values cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads a stored outcome; `place` names it in the error.
    public init(jsonText: String, place: String) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(ItemOutcome.self, from: Data(jsonText.utf8))
        } catch {
            throw AssayError("\(place): the stored outcome is not valid JSON of Assay's shape; the database may have been edited by hand")
        }
    }
}
