import ArgumentParser
import AssayCore
import AssayInference
import AssayStore
import Foundation

struct PredictionsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV or JSONL file of predictions made elsewhere as one run.",
        discussion: """
            Each row is matched to a dataset item by its exact text (--text-column) or by the item's \
            row in the dataset file (--id-column; `row` in assay predictions export). Labels are read \
            with the answer parser against the dataset's labels; rows that match no item are reported, \
            not stored. A model name that does not exist yet is created as an imported model. The import \
            is one transaction, and the same file is never imported twice for the same model.

            Example:
              assay predictions import answers.csv --model gpt-4o --dataset fpb
              assay predictions import answers.jsonl --model llama-70b --dataset fpb --id-column row --label-column prediction --reasoning-column why
            """
    )

    @OptionGroup var input: ImportFileArgument

    @Option(help: "The model the predictions came from (created as an imported model if new).")
    var model: String

    @Option(help: "The dataset whose items were predicted.")
    var dataset: String

    @Option(help: "The column holding the predicted label.")
    var labelColumn: String?

    @Option(help: "The column holding the model's reasoning.")
    var reasoningColumn: String?

    @Option(help: "The column holding the item's text (matched exactly).")
    var textColumn: String?

    @Option(help: "The column holding the item's 1-based dataset row.")
    var idColumn: String?

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if textColumn != nil && idColumn != nil {
            throw ValidationError("match items by --text-column or by --id-column, not both")
        }
    }

    func run() throws {
        let bytes = try InputFile.read(input.file)
        let store = try database.open(create: false)
        let labels = try store.datasetLabels(named: dataset)
        let parsed = try ExternalPredictionsFile(
            bytes: bytes, source: input.file, format: DatasetFormat(path: input.file), labels: labels, labelColumn: labelColumn,
            reasoningColumn: reasoningColumn, textColumn: textColumn, idColumn: idColumn)
        let outcome = try store.importPredictions(
            parsed.predictions, modelName: model, datasetName: dataset, sourcePath: input.file,
            sourceSHA256: SHA256.hex(of: bytes),
            description: "predictions imported from \(input.file) (label column '\(parsed.labelColumn)')",
            host: HostDescription.current())
        if output.json {
            try JSONOutput.print(outcome)
            return
        }
        let counts = Dictionary(grouping: parsed.predictions, by: \.parseStatus).mapValues(\.count)
        print(
            "Imported \(outcome.stored) predictions from \(input.file) as run \(outcome.runId) (model '\(model)'\(outcome.modelCreated ? ", created as an imported model" : "")); \(counts[.parsed] ?? 0) rows with a label, \(counts[.ambiguous] ?? 0) ambiguous, \(counts[.unparsed] ?? 0) unparsed."
        )
        if !outcome.unmatchedRows.isEmpty {
            print(
                "\(outcome.unmatchedRows.count) rows match no item of '\(dataset)' and were not stored: rows \(Self.list(outcome.unmatchedRows))."
            )
        }
        if !outcome.duplicateRows.isEmpty {
            print(
                "\(outcome.duplicateRows.count) rows predict an item an earlier row already predicted and were not stored: rows \(Self.list(outcome.duplicateRows))."
            )
        }
    }

    static func list(_ rows: [Int]) -> String {
        rows.prefix(20).map(String.init).joined(separator: ", ") + (rows.count > 20 ? ", ..." : "")
    }
}
