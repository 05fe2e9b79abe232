import AssaySupport
import Foundation

/// A dataset file read and checked: texts with their gold answers plus the facts an importer
/// reports about them.
public struct LabelledDataset: Sendable {
    /// The labels of the case study's sentiment task, used when the user names none.
    public static let defaultLabels = ["positive", "negative", "neutral"]

    public let kind: TaskKind
    public let rows: [DatasetRow]
    /// The allowed labels in the order the user gave them; empty unless the kind is classification.
    public let labels: [String]
    public let textColumn: String
    /// The gold answer's column; empty for code, whose gold is its tests.
    public let labelColumn: String
    /// SHA-256 of the rows' texts and labels (and, past classification, their other columns) in
    /// order: the same content gives the same hash, whatever the file's quoting, line ends or format.
    public let contentHash: String

    /// Reads `bytes` as a dataset of `kind`. `labels` restricts classification's gold labels; nil means `defaultLabels`.
    public init(
        bytes: [UInt8],
        source: String,
        format: DatasetFormat,
        kind: TaskKind = .classification,
        textColumn: String? = nil,
        labelColumn: String? = nil,
        labels: [String]? = nil
    ) throws {
        let table = try TabularFile(bytes: bytes, source: source, format: format)
        self.kind = kind
        self.textColumn = try table.column(
            named: textColumn, defaults: ["text", "sentence", "sentences", "content", "question", "prompt", "input"], role: "text",
            option: "--text-column")
        // Code has no gold text, and generation may give its references as a list instead.
        if labelColumn == nil && (kind == .code || (kind == .generation && table.columns.contains("references"))) {
            self.labelColumn = ""
        } else {
            self.labelColumn = try table.column(
                named: labelColumn, defaults: ["label", "sentiment", "gold", "class", "answer", "reference", "target"], role: "label",
                option: "--label-column")
        }
        if kind != .classification, let labels {
            throw AssayError(
                "--labels \(labels.joined(separator: ",")) is only for classification datasets; drop it for a \(kind.rawValue) dataset")
        }
        let allowed = kind == .classification ? try Self.normalisedLabelSet(labels ?? Self.defaultLabels) : []
        self.labels = allowed
        let allowedSet = Set(allowed)
        let (textKey, labelKey) = (self.textColumn, self.labelColumn)

        var rows: [DatasetRow] = []
        rows.reserveCapacity(table.records.count)
        var hasher = SHA256()
        for record in table.records {
            let place = "\(source) row \(record.row) (line \(record.line))"
            guard let text = record.values[self.textColumn], !text.allSatisfy(\.isWhitespace) else {
                throw AssayError("\(place): empty text in column '\(self.textColumn)'; fill it in or remove the row")
            }
            let fields =
                kind == .classification ? [:] : record.values.filter { $0.key != textKey && $0.key != labelKey }
            let label: String
            switch kind {
            case .classification:
                label = Self.normalise(record.values[self.labelColumn] ?? "")
                guard !label.isEmpty else {
                    throw AssayError("\(place): empty label in column '\(self.labelColumn)'; every row needs a gold label")
                }
                guard allowedSet.contains(label) else {
                    throw AssayError(
                        "\(place): label '\(label)' is not one of \(allowed.joined(separator: ", ")); if the dataset uses other labels, pass them with --labels (for example --labels \(label),...)"
                    )
                }
            case .multipleChoice:
                label = try Self.goldLetter(record.values[self.labelColumn] ?? "", fields: fields, place: place)
            case .exactMatch, .generation:
                let references = labelKey.isEmpty ? try Self.texts(in: fields, column: "references", place: place) : []
                label = (references.first ?? record.values[labelKey] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !label.isEmpty else {
                    throw AssayError("\(place): empty answer in column '\(self.labelColumn)'; every row needs its gold answer")
                }
            case .code:
                label = ""
            }
            hasher.update(Array(text.utf8) + [0x1F] + Array(label.utf8) + [0x1E])
            for key in fields.keys.sorted() {
                hasher.update(Array(key.utf8) + [0x1F] + Array(fields[key]!.utf8) + [0x1D])
            }
            rows.append(DatasetRow(text: text, label: label, row: record.row, fields: fields))
        }
        self.rows = rows
        self.contentHash = hasher.finalizeHex()
    }

    /// The options of a multiple-choice row: a JSON list of 2 to 26 non-empty texts.
    public static func choices(in fields: [String: String], field: String = "choices", place: String) throws -> [String] {
        let options = try texts(in: fields, column: field, place: place)
        guard options.count >= 2, options.count <= 26 else {
            throw AssayError("\(place): \(options.count) options in '\(field)'; give between 2 and 26")
        }
        if let empty = options.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
            throw AssayError("\(place): option \(empty + 1) in '\(field)' is empty; every option needs a text")
        }
        return options
    }

    /// A column holding a JSON list of texts (options, references).
    public static func texts(in fields: [String: String], column: String, place: String) throws -> [String] {
        guard let text = fields[column] else {
            throw AssayError("\(place): no '\(column)' column; give it as a JSON list such as [\"first\", \"second\"]")
        }
        guard let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Any],
            case let texts = list.compactMap({ $0 as? String }), texts.count == list.count, !texts.isEmpty
        else {
            throw AssayError("\(place): column '\(column)' is not a non-empty JSON list of texts; write it as [\"first\", \"second\"]")
        }
        return texts
    }

    /// The gold option as its letter: the label column may hold a 0-based index, a letter or the option's text.
    private static func goldLetter(_ value: String, fields: [String: String], place: String) throws -> String {
        let options = try choices(in: fields, place: place)
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let index: Int? =
            if let number = Int(trimmed) {
                number
            } else if trimmed.count == 1, let scalar = trimmed.uppercased().unicodeScalars.first,
                scalar.isASCII, scalar.properties.isAlphabetic
            { MultipleChoiceSettings.index(ofLetter: String(scalar)) } else { options.firstIndex(of: trimmed) }
        guard let index, options.indices.contains(index) else {
            throw AssayError(
                "\(place): the answer '\(trimmed)' names none of the \(options.count) options; give its 0-based index, its letter or its text"
            )
        }
        return MultipleChoiceSettings.letter(index)
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
