import Foundation

/// Whether an extracted answer equals the gold answer, as lm-evaluation-harness's GSM8K scores it:
/// commas, dollar signs, everything up to a `#### ` and one final full stop are removed from both,
/// then they are compared ignoring case.
public enum ExactMatch {
    private static let ignored = [",", "\\$", "(?s).*#### ", "\\.$"].map { try! NSRegularExpression(pattern: $0) }

    public static func matches(_ prediction: String, _ reference: String) -> Bool {
        normalized(prediction) == normalized(reference)
    }

    public static func normalized(_ text: String) -> String {
        var result = text
        for pattern in ignored {
            result = pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "")
        }
        return result.lowercased()
    }
}
