import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of Assay's own components.",
        discussion: """
        Example:
          assay bench engine --model SmolLM2-135M-Instruct.Q4_1.gguf --threads 2
        """,
        subcommands: [BenchEngineCommand.self]
    )
}
