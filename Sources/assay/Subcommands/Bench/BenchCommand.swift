import ArgumentParser
import AssayBenchmarks

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time Assay's own components: the engine, the hot paths on synthetic data, and the client's CPU while a server works.",
        discussion: """
            Build with `swift build -c release` first: debug builds are many times slower.

            Example:
              assay bench engine --model smollm2-135m --threads 2
              assay bench synthetic-model /dev/shm/llama-1b-shapes.Q4_K_M.gguf --vocabulary ggml-vocab-llama-bpe.gguf
              assay bench metrics --predictions 1000000
              assay bench review --predictions 1000000 --json
              assay bench server --model smollm2-server --dataset fpb --limit 24
            """,
        subcommands: [
            BenchEngineCommand.self, BenchSyntheticModelCommand.self, BenchMetricsCommand.self, BenchReviewCommand.self,
            BenchServerCommand.self,
        ]
    )
}
