import ArgumentParser

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the results table, the qualitative figure or every score for a paper or another tool.",
        discussion: """
            Example:
              assay export table --format latex --out results.tex
              assay export figure --format latex --fragment --out examples.tex
              assay export scores --format csv --out scores.csv
            """,
        subcommands: [ExportTableCommand.self, ExportFigureCommand.self, ExportScoresCommand.self]
    )
}
