import ArgumentParser

struct PredictionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictions",
        abstract: "Import predictions made elsewhere, or export stored ones.",
        discussion: """
            Example:
              assay predictions import gpt4-answers.csv --model gpt-4o --dataset fpb --label-column answer
              assay predictions export --run 3 --format csv > run3.csv
            """,
        subcommands: [PredictionsImportCommand.self, PredictionsExportCommand.self]
    )
}
