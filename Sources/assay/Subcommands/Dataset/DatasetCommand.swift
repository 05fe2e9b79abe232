import ArgumentParser

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Import or fetch datasets and inspect them.",
        discussion: """
            Example:
              assay dataset import ../shared/data/financial-sentiment.csv --name fpb
              assay dataset show fpb --conflicts
            """,
        subcommands: [DatasetImportCommand.self, DatasetFetchCommand.self, DatasetListCommand.self, DatasetShowCommand.self]
    )
}
