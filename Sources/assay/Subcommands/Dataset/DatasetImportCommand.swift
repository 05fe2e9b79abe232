import ArgumentParser
import AssayCore
import AssayStore
import Foundation

struct DatasetImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV or JSONL file of texts and their gold answers as a named dataset.",
        discussion: """
            CSV follows RFC 4180 (quoted fields may hold commas, quotes and newlines; a UTF-8 BOM and CRLF \
            line ends are accepted). JSONL holds one object per line. The text column defaults to the first of \
            text, sentence, content; the label column to label, sentiment, gold, class. Labels are compared \
            after trimming and lowercasing and must belong to the label set (default: positive, negative, \
            neutral). The import is one transaction: on any error nothing is stored.

            --kind says what the gold answers are (default classification):
              multiple_choice  a 'choices' column holds each item's options as a JSON list; the label column
                               (answer) names the right one by 0-based index, letter or text
              exact_match      the label column holds the final answer ("42", or a worked answer ending "#### 42")
              code             the text is a Python prompt; 'test' and 'entry_point' columns check it (HumanEval's
                               layout; assay dataset fetch humaneval imports the real one)
              generation       the label column holds the reference text, or a 'references' column a JSON list
            Past classification every other column is kept with the item.

            Example:
              assay dataset import ../shared/data/financial-sentiment.csv --name fpb
              assay dataset import reviews.jsonl --name reviews --text-column body --labels good,bad
              assay dataset import samples/arithmetic-questions.jsonl --name arithmetic --kind exact_match
            """
    )

    @OptionGroup var input: ImportFileArgument

    @Option(help: "The dataset's name in the database.")
    var name: String

    @Option(help: "The column holding the text.")
    var textColumn: String?

    @Option(help: "The column holding the gold label.")
    var labelColumn: String?

    @Option(help: ArgumentHelp("The allowed labels, comma-separated (classification only).", valueName: "a,b,c"))
    var labels: String?

    @Option(help: "What the gold answers are.")
    var kind: TaskKind = .classification

    @Flag(help: "Replace a dataset of the same name whose content differs.")
    var replace = false

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try Self.importFile(
            input.file, name: name, kind: kind, textColumn: textColumn, labelColumn: labelColumn,
            labels: labels.map { $0.split(separator: ",").map(String.init) }, replace: replace,
            json: output.json, store: { try database.open(create: true) })
    }

    /// Reads `file`, then stores it as dataset `name` (the store is opened only once the file is
    /// read, so that a bad file creates no database) and reports; `assay demo` imports through this too.
    static func importFile(
        _ file: String, name: String, kind: TaskKind = .classification, textColumn: String? = nil, labelColumn: String? = nil,
        labels: [String]? = nil, replace: Bool = false, json: Bool = false,
        store openStore: () throws -> AssayStore
    ) throws {
        let bytes = try InputFile.read(file)
        let format = DatasetFormat(path: file)
        let dataset = try LabelledDataset(
            bytes: bytes, source: file, format: format, kind: kind, textColumn: textColumn, labelColumn: labelColumn, labels: labels)
        let store = try openStore()
        let outcome = try store.importDataset(dataset, name: name, sourcePath: file, format: format, replace: replace)
        let summary = try store.datasetSummary(named: name)
        if json {
            try JSONOutput.print(DatasetReport(outcome: outcome, summary: summary))
            return
        }
        switch outcome {
        case .unchanged:
            print("Dataset '\(name)' already holds this content (\(summary.items) items); nothing changed.")
            return
        case .created:
            print("Imported \(summary.items) items from \(file) as '\(name)'.")
        case .replaced:
            print("Replaced dataset '\(name)' with \(summary.items) items from \(file).")
        }
        print(DatasetReport.text(for: summary))
    }
}
