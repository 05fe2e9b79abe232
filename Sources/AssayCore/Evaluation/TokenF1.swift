import Foundation

/// The SQuAD v1.1 evaluation script's answer comparison: both texts normalised (lower case, no
/// punctuation, no articles, single spaces), then F1 over the multiset of tokens, and exact match.
public struct TokenF1: Sendable, Equatable {
    public let f1: Double
    public let exactMatch: Bool

    public init(prediction: String, groundTruth: String) {
        let predicted = Self.normalized(prediction)
        let truth = Self.normalized(groundTruth)
        exactMatch = predicted == truth
        let predictedTokens = predicted.split(separator: " ")
        let truthTokens = truth.split(separator: " ")
        var remaining: [Substring: Int] = [:]
        for token in truthTokens { remaining[token, default: 0] += 1 }
        var shared = 0
        for token in predictedTokens where remaining[token, default: 0] > 0 {
            remaining[token]! -= 1
            shared += 1
        }
        guard shared > 0 else {
            f1 = 0
            return
        }
        let precision = Double(shared) / Double(predictedTokens.count)
        let recall = Double(shared) / Double(truthTokens.count)
        f1 = 2 * precision * recall / (precision + recall)
    }

    /// The best F1 over several references, as SQuAD scores an answer with several ground truths.
    public static func best(prediction: String, references: [String]) -> Double {
        references.map { TokenF1(prediction: prediction, groundTruth: $0).f1 }.max() ?? 0
    }

    /// Python's `string.punctuation`.
    private static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)
    private static let articles = try! NSRegularExpression(pattern: "\\b(a|an|the)\\b")

    static func normalized(_ text: String) -> String {
        let lowered = text.lowercased()
        let unpunctuated = String(String.UnicodeScalarView(lowered.unicodeScalars.filter { !punctuation.contains($0) }))
        let range = NSRange(unpunctuated.startIndex..., in: unpunctuated)
        let withoutArticles = articles.stringByReplacingMatches(in: unpunctuated, range: range, withTemplate: " ")
        return withoutArticles.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
