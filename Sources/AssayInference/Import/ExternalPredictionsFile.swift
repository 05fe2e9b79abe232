import AssayCore
import AssayStore
import AssaySupport

/// A CSV or JSONL file of predictions made elsewhere, read into `ExternalPrediction`s.
///
/// Each row names its item by text (`--text-column`, default text / sentence / content) or by the
/// dataset row (`--id-column`); its label (`--label-column`, default label / prediction /
/// predicted_label / sentiment) is read with the answer parser against the dataset's labels, so
/// "Positive" or "Sentiment: positive" count and anything else is stored as unparsed or ambiguous.
public struct ExternalPredictionsFile: Sendable {
    public let predictions: [ExternalPrediction]
    public let labelColumn: String

    public init(
        bytes: [UInt8], source: String, format: DatasetFormat, labels: [String], labelColumn: String?,
        reasoningColumn: String?, textColumn: String?, idColumn: String?
    ) throws {
        let table = try TabularFile(bytes: bytes, source: source, format: format)
        let label = try table.column(
            named: labelColumn, defaults: ["label", "prediction", "predicted_label", "predicted", "sentiment"],
            role: "predicted label", option: "--label-column")
        let reasoning = try reasoningColumn.map {
            try table.column(named: $0, defaults: [], role: "reasoning", option: "--reasoning-column")
        }
        let key: (column: String, byRow: Bool)
        if let idColumn {
            key = (try table.column(named: idColumn, defaults: [], role: "id", option: "--id-column"), true)
        } else {
            key = (
                try table.column(
                    named: textColumn, defaults: ["text", "sentence", "sentences", "content"],
                    role: "text", option: "--text-column or --id-column"), false
            )
        }
        let parser = AnswerParser(labels: labels, rules: AnswerParsingRules(reasoning: .none))
        var predictions: [ExternalPrediction] = []
        predictions.reserveCapacity(table.records.count)
        for record in table.records {
            let keyText = record.values[key.column] ?? ""
            let itemKey: ExternalPrediction.ItemKey
            if key.byRow {
                guard let row = Int(keyText.trimmingCharacters(in: .whitespaces)), row >= 1 else {
                    throw AssayError(
                        "\(source) row \(record.row) (line \(record.line)): '\(keyText)' in column '\(key.column)' is not a dataset row number (1, 2, ...)"
                    )
                }
                itemKey = .row(row)
            } else {
                itemKey = .text(keyText)
            }
            let rawLabel = record.values[label] ?? ""
            // Most files hold the bare label; only other answers need the parser.
            let bare = rawLabel.trimmingCharacters(in: .whitespaces).lowercased()
            let parsed = labels.contains(bare) ? ParsedAnswer(label: bare, reasoning: nil, status: .parsed) : parser.parse(rawLabel)
            let reasoningText = reasoning.flatMap { record.values[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            predictions.append(
                ExternalPrediction(
                    key: itemKey, sourceRow: record.row, label: parsed.label,
                    parseStatus: parsed.status, reasoning: reasoningText,
                    rawOutput: reasoningText.map { "\(rawLabel) \($0)" } ?? rawLabel))
        }
        self.predictions = predictions
        self.labelColumn = label
    }
}
