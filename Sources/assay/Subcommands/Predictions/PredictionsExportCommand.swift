import ArgumentParser
import AssayCore
import AssayExport
import AssayStore
import AssaySupport
import Foundation

struct PredictionsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored predictions as CSV (RFC 4180) or JSON Lines.",
        discussion: """
            One row per prediction: run_id, model, dataset, mode, item_id, row (the item's row in the \
            dataset file), text, gold_label, label, parse_status, reasoning, raw_output, prompt_tokens, \
            completion_tokens, latency_seconds, energy_kwh, backend_timings (JSON text), outcome (how a \
            multiple-choice, exact-match, code or generation answer scored: JSON text in CSV, an object in \
            JSONL). Missing values \
            are empty in CSV and null in JSONL.

            Example:
              assay predictions export --run 3 --format csv > run3.csv
              assay predictions export --format jsonl --out all.jsonl
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    /// Without --run, every run's predictions.
    @OptionGroup var runs: RunsOption

    @Option(help: "csv or jsonl.")
    var format: Format

    @OptionGroup var output: ExportOutput
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(create: false)
        let rows =
            runs.ids.isEmpty
            ? try store.predictionExportRows(runID: nil)
            : try runs.ids.flatMap { try store.predictionExportRows(runID: $0) }
        var text = ""
        switch format {
        case .csv:
            text += CSVText.record(PredictionExportRow.columns)
            for row in rows { text += CSVText.record(Self.values(of: row).map { $0.map { "\($0)" } ?? "" }) }
        case .jsonl:
            for row in rows {
                var object: [String: Any] = [:]
                for (column, value) in zip(PredictionExportRow.columns, Self.values(of: row)) { object[column] = value ?? NSNull() }
                // The outcome is JSON already: nested as an object, not quoted as a string.
                if let outcome = row.outcome, let nested = try? JSONSerialization.jsonObject(with: Data(outcome.utf8)) {
                    object["outcome"] = nested
                }
                let line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                text += String(decoding: line, as: UTF8.self) + "\n"
            }
        }
        try output.deliver(text)
        if let path = output.path {
            FileHandle.standardError.write(Data("Wrote \(rows.count) predictions to \(path).\n".utf8))
        }
    }

    /// The row's values in `PredictionExportRow.columns` order; nil where there is none.
    static func values(of row: PredictionExportRow) -> [Any?] {
        [
            row.runId.rawValue, row.model, row.dataset, row.mode.rawValue, row.itemId.rawValue, row.row, row.text, row.goldLabel,
            row.label, row.parseStatus.rawValue, row.reasoning, row.rawOutput, row.promptTokens, row.completionTokens, row.latencySeconds,
            row.energyKwh, row.backendTimings, row.outcome, row.endpoint,
        ]
    }
}
