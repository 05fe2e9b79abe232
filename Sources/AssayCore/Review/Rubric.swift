import AssaySupport
import Foundation

/// A versioned scoring rubric: the criteria an annotator scores, in the order they are typed.
public struct Rubric: Sendable, Equatable {
    public let name: String
    public let version: String
    public let description: String
    public let criteria: [RubricCriterion]

    /// The case study's review rubric (consistency, clarity, alignment), as `rubrics/sentiment-review.yaml`.
    public static let builtInSentimentReview = (text: BuiltInRubrics.sentimentReviewYAML, source: "the built-in sentiment-review rubric")

    public init(name: String, version: String, description: String, criteria: [RubricCriterion]) {
        self.name = name
        self.version = version
        self.description = description
        self.criteria = criteria
    }

    /// The form of a score line, for help and error messages: "<consistency 1-5> <clarity 1-5> ... [comment]".
    public var scoreLineForm: String {
        criteria.map { "<\($0.name) \($0.scale.expectedForm)>" }.joined(separator: " ") + " [comment]"
    }

    /// Reads a score line: one value per criterion in order, then an optional free-text comment.
    public func scoreEntry(from line: String) throws -> ScoreEntry {
        var rest = Substring(line)
        var values: [String: ScoreValue] = [:]
        for criterion in criteria {
            rest = rest.drop(while: \.isWhitespace)
            let token = String(rest.prefix(while: { !$0.isWhitespace }))
            rest = rest.dropFirst(token.count)
            guard !token.isEmpty else {
                throw AssayError("too few values: \(criterion.name) is missing; type \(scoreLineForm)")
            }
            guard let value = criterion.scale.value(from: token) else {
                throw AssayError("'\(token)' is not a \(criterion.name) value (\(criterion.scale.expectedForm)); type \(scoreLineForm)")
            }
            values[criterion.name] = value
        }
        let comment = String(rest).trimmingCharacters(in: .whitespaces)
        return ScoreEntry(values: values, comment: comment.isEmpty ? nil : comment)
    }

    /// Whether annotators' values differ by more than `threshold` on some criterion.
    public func disagree(_ scores: [[String: ScoreValue]], threshold: Double) -> Bool {
        criteria.contains { criterion in
            let values = scores.compactMap { $0[criterion.name] }
            return values.indices.contains { first in
                values.indices.contains { second in
                    first < second && criterion.scale.distance(values[first], values[second]) > threshold
                }
            }
        }
    }
}
