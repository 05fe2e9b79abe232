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
        completion_tokens, latency_seconds, energy_kwh, backend_timings (JSON text). Missing values \
        are empty in CSV and null in JSONL.

        Example:
          assay predictions export --run 3 --format csv > run3.csv
          assay predictions export --format jsonl --output all.jsonl
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @Option(name: .customLong("run"), help: "Only this run (default: every run).")
    var runID: RunID?

    @Option(help: "csv or jsonl.")
    var format: Format

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let rows = try database.open(create: false).predictionExportRows(runID: runID)
        var text = ""
        switch format {
        case .csv:
            text += CSVText.record(PredictionExportRow.columns)
            for row in rows { text += CSVText.record(Self.values(of: row).map { $0.map { "\($0)" } ?? "" }) }
        case .jsonl:
            for row in rows {
                var object: [String: Any] = [:]
                for (column, value) in zip(PredictionExportRow.columns, Self.values(of: row)) { object[column] = value ?? NSNull() }
                let line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                text += String(decoding: line, as: UTF8.self) + "\n"
            }
        }
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw AssayError("cannot write \(output) (\(error.localizedDescription)); check the folder exists and is writable")
            }
            FileHandle.standardError.write(Data("Wrote \(rows.count) predictions to \(output).\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// The row's values in `PredictionExportRow.columns` order; nil where there is none.
    static func values(of row: PredictionExportRow) -> [Any?] {
        [row.runId, row.model, row.dataset, row.mode, row.itemId, row.row, row.text, row.goldLabel, row.label,
         row.parseStatus, row.reasoning, row.rawOutput, row.promptTokens, row.completionTokens, row.latencySeconds,
         row.energyKwh, row.backendTimings]
    }
}
