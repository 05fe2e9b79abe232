import ArgumentParser
import AssayEngine
import Foundation

struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Prompt-processing and generation speed of the embedded engine (like llama-bench pp/tg).",
        discussion: """
        Each repetition evaluates --prompt-tokens pseudo-random tokens as one batch in a fresh context \
        (prefill), then generates --gen-tokens one at a time in a fresh context (decode); the medians \
        are reported. Put the model on tmpfs (/dev/shm) for stable numbers.

        Example:
          assay bench engine --model /dev/shm/SmolLM2-135M-Instruct.Q4_1.gguf --threads 2 --repetitions 5 --json
        """
    )

    @Option(help: "The model: a path to a .gguf file.")
    var model: String

    @Option(help: "Worker threads.")
    var threads: Int = 1

    @Option(name: .customLong("prompt-tokens"), help: "Tokens per prefill measurement.")
    var promptTokens: Int = 512

    @Option(name: .customLong("gen-tokens"), help: "Tokens per decode measurement.")
    var genTokens: Int = 128

    @Option(help: "Repetitions (medians are reported).")
    var repetitions: Int = 5

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Output: Encodable {
        let model: String
        let threads: Int
        let promptTokens: Int
        let genTokens: Int
        let repetitions: Int
        let prefillTokS: Double
        let decodeTokS: Double
        let prefillSamples: [Double]
        let decodeSamples: [Double]
    }

    func run() throws {
        let url = try locateModelFile(model)
        let engine = try EngineModel(contentsOf: url)
        let benchmark = try EngineBenchmark(promptTokens: promptTokens, generatedTokens: genTokens, repetitions: repetitions)
        let result = try benchmark.run(model: engine, threads: threads)
        if json {
            try JSONOutput.print(Output(
                model: url.lastPathComponent, threads: threads, promptTokens: promptTokens, genTokens: genTokens,
                repetitions: repetitions, prefillTokS: result.prefillTokensPerSecond,
                decodeTokS: result.decodeTokensPerSecond, prefillSamples: result.prefillSamples,
                decodeSamples: result.decodeSamples))
        } else {
            print(String(format: "pp%d  %8.1f tok/s", promptTokens, result.prefillTokensPerSecond))
            print(String(format: "tg%d  %8.1f tok/s", genTokens, result.decodeTokensPerSecond))
            print("threads \(threads), median of \(repetitions)")
        }
    }
}
