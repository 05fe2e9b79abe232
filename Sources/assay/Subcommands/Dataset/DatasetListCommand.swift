import ArgumentParser
import AssayStore

struct DatasetListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the imported datasets.",
        discussion: """
            Example:
              assay dataset list --json
            """
    )

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let summaries = try database.open().datasetSummaries()
        if output.json {
            try JSONOutput.print(summaries.map(DatasetShowCommand.View.init))
            return
        }
        if summaries.isEmpty {
            print("No datasets yet. Import one with: assay dataset import FILE --name NAME")
            return
        }
        let table = TextTable(header: ["name", "items", "labels", "duplicates", "conflicting", "source"])
        for summary in summaries {
            let labels = summary.labelOrder.map { "\($0) \(summary.labels[$0] ?? 0)" }.joined(separator: ", ")
            table.add([summary.name, "\(summary.items)", labels, "\(summary.duplicates)", "\(summary.conflicting)", summary.sourcePath])
        }
        print(table.render())
    }
}
