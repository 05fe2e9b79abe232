import Foundation

/// ROUGE-L as Google's rouge-score computes it without stemming: both texts lower-cased, every
/// run of characters other than a-z and 0-9 made a space, then the longest common subsequence of
/// the tokens.
public struct RougeL: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public let f: Double

    public init(reference: String, prediction: String) {
        let referenceTokens = Self.tokens(reference)
        let predictionTokens = Self.tokens(prediction)
        guard !referenceTokens.isEmpty, !predictionTokens.isEmpty else {
            (precision, recall, f) = (0, 0, 0)
            return
        }
        let common = Double(Self.longestCommonSubsequence(referenceTokens, predictionTokens))
        precision = common / Double(predictionTokens.count)
        recall = common / Double(referenceTokens.count)
        f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// rouge-score's default tokenizer.
    static func tokens(_ text: String) -> [Substring] {
        let kept = text.lowercased().unicodeScalars.map { scalar -> Character in
            (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") ? Character(scalar) : " "
        }
        return String(kept).split(separator: " ")
    }

    static func longestCommonSubsequence(_ first: [Substring], _ second: [Substring]) -> Int {
        var previous = [Int](repeating: 0, count: second.count + 1)
        var current = previous
        for token in first {
            for (column, other) in second.enumerated() {
                current[column + 1] = token == other ? previous[column] + 1 : max(previous[column + 1], current[column])
            }
            swap(&previous, &current)
        }
        return previous[second.count]
    }
}
