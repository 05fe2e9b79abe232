import AssayCore
import AssayStore
import AssaySupport

/// Which queue entries the session serves: by gold label, predicted label, mismatches only, run.
/// Written as space-separated terms: `gold=positive predicted=negative mismatches run=B`.
public struct ReviewFilter: Sendable, Equatable {
    public var goldLabel: String?
    /// A label, or `none` for answers with no readable label.
    public var predictedLabel: String?
    public var mismatchesOnly = false
    public var runID: RunID?

    public init(goldLabel: String? = nil, predictedLabel: String? = nil, mismatchesOnly: Bool = false, runID: RunID? = nil) {
        self.goldLabel = goldLabel
        self.predictedLabel = predictedLabel
        self.mismatchesOnly = mismatchesOnly
        self.runID = runID
    }

    /// The accepted form, for help and error messages.
    public static let form = "filter [gold=LABEL] [predicted=LABEL|none] [mismatches] [run=R] | filter off"

    public static let noPrediction = "none"

    public var isEmpty: Bool { self == ReviewFilter() }

    /// Reads the terms; `off` (or nothing) clears the filter.
    public static func parse(_ text: String, runs: ReviewRunLabels) throws -> ReviewFilter {
        var filter = ReviewFilter()
        for term in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            switch (parts[0].lowercased(), parts.count == 2 ? parts[1] : nil) {
            case ("off", nil):
                return ReviewFilter()
            case ("mismatches", nil):
                filter.mismatchesOnly = true
            case ("gold", let label?) where !label.isEmpty:
                filter.goldLabel = label.lowercased()
            case ("predicted", let label?) where !label.isEmpty:
                filter.predictedLabel = label.lowercased()
            case ("run", let name?):
                guard let runID = runs.runID(for: name) else {
                    throw AssayError("no run '\(name)' in this session; runs: \(runs.choices.joined(separator: ", ")); type \(form)")
                }
                filter.runID = runID
            default:
                throw AssayError("'\(term)' is not a filter term; type \(form)")
            }
        }
        return filter
    }

    public func admits(_ entry: ReviewQueueEntry) -> Bool {
        if let goldLabel, entry.goldLabel.lowercased() != goldLabel { return false }
        if let predictedLabel {
            let predicted = entry.predictedLabel?.lowercased() ?? Self.noPrediction
            if predicted != predictedLabel { return false }
        }
        if mismatchesOnly && !entry.isMismatch { return false }
        if let runID, entry.runID != runID { return false }
        return true
    }

    /// The filter as typed back to the user, run named as the session labels it.
    public func describe(runs: ReviewRunLabels) -> String {
        var terms: [String] = []
        if let goldLabel { terms.append("gold=\(goldLabel)") }
        if let predictedLabel { terms.append("predicted=\(predictedLabel)") }
        if mismatchesOnly { terms.append("mismatches") }
        if let runID { terms.append("run=\(runs.shortName(of: runID))") }
        return terms.isEmpty ? "off" : terms.joined(separator: " ")
    }
}
