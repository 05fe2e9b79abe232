import Foundation

/// Reads the final answer of a chain-of-thought reply, trying lm-evaluation-harness's extraction
/// rules in order: GSM8K's strict `#### 42`, its chain-of-thought "The answer is 42.", MATH's last
/// `\boxed{...}`, and GSM8K's flexible last number.
public enum AnswerExtractor {
    public enum Rule: String, Codable, Sendable, CaseIterable {
        case strict
        case answerIs = "answer_is"
        case boxed
        case flexible
    }

    public struct Extraction: Sendable, Equatable {
        public let rule: Rule
        public let value: String
    }

    /// The first rule that finds an answer, and its answer; nil when none does.
    public static func extract(_ text: String) -> Extraction? {
        for rule in Rule.allCases {
            if let value = apply(rule, to: text) { return Extraction(rule: rule, value: value) }
        }
        return nil
    }

    /// One rule's answer, nil where lm-evaluation-harness would give its "[invalid]" fallback.
    public static func apply(_ rule: Rule, to text: String) -> String? {
        switch rule {
        case .strict: firstMatch(of: hashes, in: text, pickLast: false)
        case .answerIs: firstMatch(of: answerIs, in: text, pickLast: false)
        case .flexible: firstMatch(of: lastNumber, in: text, pickLast: true)
        case .boxed: lastBoxed(in: text)
        }
    }

    private static let hashes = try! NSRegularExpression(pattern: "#### (\\-?[0-9\\.\\,]+)")
    private static let answerIs = try! NSRegularExpression(pattern: "The answer is (\\-?[0-9\\.\\,]+).")
    private static let lastNumber = try! NSRegularExpression(pattern: "(-?[$0-9.,]{2,})|(-?[0-9]+)")

    /// Like the harness's RegexFilter: the first (or last) match; of its groups, the first that
    /// matched something; surrounding white space removed.
    private static func firstMatch(of pattern: NSRegularExpression, in text: String, pickLast: Bool) -> String? {
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard let match = pickLast ? matches.last : matches.first else { return nil }
        for group in 1..<max(2, match.numberOfRanges) {
            let range = match.range(at: group)
            guard range.location != NSNotFound, range.length > 0, let span = Range(range, in: text) else { continue }
            return text[span].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// The contents of the last `\boxed{...}` (braces balanced) or `\boxed x`, as the harness's
    /// MATH utilities read it; an `\fbox` or unclosed box gives nothing.
    private static func lastBoxed(in text: String) -> String? {
        let characters = Array(text)
        if let spaced = text.range(of: "\\boxed ", options: .backwards) {
            return String(text[spaced.upperBound...].prefix { $0 != "$" })
        }
        guard let start = text.range(of: "\\boxed", options: .backwards) else { return nil }
        var depth = 0
        var index = text.distance(from: text.startIndex, to: start.lowerBound)
        let open = index + "\\boxed".count
        while index < characters.count {
            if characters[index] == "{" { depth += 1 }
            if characters[index] == "}" {
                depth -= 1
                if depth == 0 { break }
            }
            index += 1
        }
        guard index < characters.count, open < characters.count, characters[open] == "{" else { return nil }
        return String(characters[(open + 1)..<index])
    }
}
