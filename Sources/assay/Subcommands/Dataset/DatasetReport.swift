import AssayStore

/// The import report and the `dataset show` view, as text and as JSON.
struct DatasetReport: Encodable {
    let status: String
    let name: String
    let kind: String
    let items: Int
    let labels: [String: Int]
    let duplicates: Int
    let conflicting: Int

    init(outcome: DatasetImportOutcome, summary: DatasetSummary) {
        switch outcome {
        case .created: status = "created"
        case .unchanged: status = "unchanged"
        case .replaced: status = "replaced"
        }
        name = summary.name
        kind = summary.kind.rawValue
        items = summary.items
        labels = summary.labels
        duplicates = summary.duplicates
        conflicting = summary.conflicting
    }

    static func text(for summary: DatasetSummary) -> String {
        let width = summary.labelOrder.map(\.count).max() ?? 0
        var lines = summary.kind == .classification ? [] : ["  kind: \(summary.kind.rawValue)"]
        lines += summary.labelOrder.map { label in
            "  \(label.padding(toLength: width, withPad: " ", startingAt: 0))  \(summary.labels[label] ?? 0)"
        }
        lines.append(
            "  \(summary.duplicates) duplicate rows (repeating an earlier text)"
                + (summary.kind == .classification ? ", \(summary.conflicting) texts with conflicting labels" : ""))
        return lines.joined(separator: "\n")
    }
}
