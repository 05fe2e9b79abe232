import AssaySupport

/// A dataset file read and checked: labelled texts plus the facts an importer reports about them.
public struct LabelledDataset: Sendable {
    /// The labels of the case study's sentiment task, used when the user names none.
    public static let defaultLabels = ["positive", "negative", "neutral"]

    public let rows: [DatasetRow]
    /// The allowed labels in the order the user gave them.
    public let labels: [String]
    public let textColumn: String
    public let labelColumn: String
    /// SHA-256 of the rows' texts and labels in order: the same content gives the same hash,
    /// whatever the file's quoting, line ends or format.
    public let contentHash: String

    /// Reads `bytes` as a dataset. `labels` restricts the gold labels; nil means `defaultLabels`.
    public init(
        bytes: [UInt8],
        source: String,
        format: DatasetFormat,
        textColumn: String? = nil,
        labelColumn: String? = nil,
        labels: [String]? = nil
    ) throws {
        let table = try TabularFile(bytes: bytes, source: source, format: format)
        self.textColumn = try table.column(
            named: textColumn, defaults: ["text", "sentence", "sentences", "content"], role: "text", option: "--text-column")
        self.labelColumn = try table.column(
            named: labelColumn, defaults: ["label", "sentiment", "gold", "class"], role: "label", option: "--label-column")
        let allowed = try Self.normalisedLabelSet(labels ?? Self.defaultLabels)
        self.labels = allowed
        let allowedSet = Set(allowed)

        var rows: [DatasetRow] = []
        rows.reserveCapacity(table.records.count)
        var hasher = SHA256()
        for record in table.records {
            let place = "\(source) row \(record.row) (line \(record.line))"
            guard let text = record.values[self.textColumn], !text.allSatisfy(\.isWhitespace) else {
                throw AssayError("\(place): empty text in column '\(self.textColumn)'; fill it in or remove the row")
            }
            let label = Self.normalise(record.values[self.labelColumn] ?? "")
            guard !label.isEmpty else {
                throw AssayError("\(place): empty label in column '\(self.labelColumn)'; every row needs a gold label")
            }
            guard allowedSet.contains(label) else {
                throw AssayError(
                    "\(place): label '\(label)' is not one of \(allowed.joined(separator: ", ")); if the dataset uses other labels, pass them with --labels (for example --labels \(label),...)"
                )
            }
            hasher.update(Array(text.utf8) + [0x1F] + Array(label.utf8) + [0x1E])
            rows.append(DatasetRow(text: text, label: label, row: record.row))
        }
        self.rows = rows
        self.contentHash = hasher.finalizeHex()
    }

    /// Labels compare after trimming surrounding space and lowercasing.
    public static func normalise(_ label: String) -> String {
        label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public static func normalisedLabelSet(_ labels: [String]) throws -> [String] {
        var result: [String] = []
        for label in labels.map(normalise) where !label.isEmpty && !result.contains(label) {
            result.append(label)
        }
        guard result.count >= 2 else {
            throw AssayError(
                "a label set needs at least two distinct labels (got: \(labels.joined(separator: ","))); pass them as --labels a,b,c")
        }
        return result
    }
}
