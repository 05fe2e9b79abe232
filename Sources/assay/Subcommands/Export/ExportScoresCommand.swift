import ArgumentParser
import AssayExport

struct ExportScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Write every score with its prediction, item, run, model, annotator, rubric version and timestamps.",
        discussion: """
            CSV (RFC 4180) has one criterion.NAME column per rubric criterion; JSON Lines has one \
            object per score with the criteria as an object.

            Example:
              assay export scores --format csv --out scores.csv
              assay export scores --format jsonl | jq .comment
            """
    )

    @Option(help: "The output format.")
    var format: ScoresFormat

    @OptionGroup var output: ExportOutput
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try output.deliver(try StudyExports(store: try database.open()).scores(format: format))
    }
}
