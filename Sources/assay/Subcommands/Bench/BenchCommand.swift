import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Assay's own speed on generated data.",
        discussion: """
        Example:
          assay bench review --predictions 1000000 --json
        """,
        subcommands: [BenchReviewCommand.self]
    )
}
