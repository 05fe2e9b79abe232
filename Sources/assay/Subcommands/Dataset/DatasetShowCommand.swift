import ArgumentParser
import AssayStore
import Foundation

struct DatasetShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a dataset's size, labels, duplicate and conflicting texts.",
        discussion: """
            Example:
              assay dataset show fpb --json
              assay dataset show fpb --conflicts
            """
    )

    /// The JSON form: `name`, `items`, `labels` (label -> count), `duplicates`, `conflicting`, and the
    /// lists when asked for.
    struct View: Encodable {
        let name: String
        let items: Int
        let labels: [String: Int]
        let duplicates: Int
        let conflicting: Int
        let source: String
        let contentHash: String
        let importedAt: Date
        var duplicateTexts: [DatasetSummary.Duplicate]?
        var conflictingTexts: [DatasetSummary.Conflict]?

        init(_ summary: DatasetSummary) {
            name = summary.name
            items = summary.items
            labels = summary.labels
            duplicates = summary.duplicates
            conflicting = summary.conflicting
            source = summary.sourcePath
            contentHash = summary.contentHash
            importedAt = summary.importedAt
        }
    }

    @Argument(help: "The dataset's name.")
    var name: String

    @Flag(help: "List the texts that carry more than one label.")
    var conflicts = false

    @Flag(help: "List the texts that occur more than once.")
    var duplicates = false

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let summary = try database.open().datasetSummary(named: name)
        if output.json {
            var view = View(summary)
            if conflicts { view.conflictingTexts = summary.conflictingTexts }
            if duplicates { view.duplicateTexts = summary.duplicateTexts }
            try JSONOutput.print(view)
            return
        }
        print("\(summary.name): \(summary.items) items from \(summary.sourcePath)")
        print(DatasetReport.text(for: summary))
        if conflicts {
            print("\nTexts with conflicting labels:")
            for conflict in summary.conflictingTexts {
                print("  [\(conflict.labels.joined(separator: "/"))] \(conflict.text)")
            }
        }
        if duplicates {
            print("\nTexts that occur more than once:")
            for duplicate in summary.duplicateTexts {
                print("  x\(duplicate.occurrences) \(duplicate.text)")
            }
        }
    }
}
