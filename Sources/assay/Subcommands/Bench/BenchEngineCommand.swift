import ArgumentParser
import AssayBenchmarks
import AssayEngine
import AssayInference
import Foundation

struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Prompt-processing and generation speed of the embedded engine (like llama-bench pp/tg).",
        discussion: """
            Each repetition evaluates --prompt-tokens pseudo-random tokens as one batch in a fresh context \
            (prefill), then generates --gen-tokens one at a time in a fresh context (decode); the medians \
            are reported. Put the model on tmpfs (/dev/shm) for stable numbers.

            With --reference PATH, llama.cpp's llama-bench at PATH measures the same model, threads and \
            sizes once after each of Assay's repetitions, so both see the same minutes of the machine, and \
            the ratios of the medians are printed: on a shared machine only a reference taken in the same \
            run makes a ratio meaningful.

            Example:
              assay bench engine --model /dev/shm/SmolLM2-135M-Instruct.Q4_1.gguf --threads 2 --repetitions 5 --json
              assay bench engine --model /dev/shm/SmolLM2-135M-Instruct.Q4_1.gguf --reference ~/llama.cpp/build/bin/llama-bench
            """
    )

    @Option(help: "The model: a path to a .gguf file, or the name of an embedded model in the database.")
    var model: String

    @OptionGroup var engine: EngineOptions

    @Option(name: .customLong("prompt-tokens"), help: "Tokens per prefill measurement.")
    var promptTokens: Int = 512

    @Option(name: .customLong("gen-tokens"), help: "Tokens per decode measurement.")
    var genTokens: Int = 128

    @Option(help: "Repetitions (medians are reported).")
    var repetitions: Int = 5

    @Option(help: "A llama-bench binary to measure the same model with, for ratios.")
    var reference: String?

    @OptionGroup var output: JSONOption
    @OptionGroup var database: DatabaseOptions

    struct Output: Encodable {
        let model: String
        let kernelLevel: String
        let cpu: String
        let threads: Int
        let promptTokens: Int
        let genTokens: Int
        let repetitions: Int
        let prefillTokS: Double
        let decodeTokS: Double
        let prefillSamples: [Double]
        let decodeSamples: [Double]
        let referencePrefillTokS: Double?
        let referenceDecodeTokS: Double?
        let referencePrefillSamples: [Double]?
        let referenceDecodeSamples: [Double]?
    }

    func run() throws {
        let url = try ModelLocator.file(model, database: database)
        let loaded = try EngineModel(contentsOf: url)
        let threads = engine.resolvedThreads
        let benchmark = try EngineBenchmark(promptTokens: promptTokens, generatedTokens: genTokens, repetitions: repetitions)
        var references: [LlamaBenchReference] = []
        let result = try benchmark.run(model: loaded, threads: threads) { _ in
            guard let reference else { return }
            references.append(
                try LlamaBenchReference.measure(
                    binary: reference, model: url.path, threads: threads,
                    benchmark: benchmark, repetitions: 1))
        }
        let llama = reference == nil ? nil : LlamaBenchReference.combining(references)
        let cpu = CPUInfo(path: "/proc/cpuinfo").modelName ?? "unknown CPU"
        if output.json {
            try JSONOutput.print(
                Output(
                    model: url.lastPathComponent, kernelLevel: EngineBenchmark.kernelLevel, cpu: cpu, threads: threads,
                    promptTokens: promptTokens, genTokens: genTokens,
                    repetitions: repetitions, prefillTokS: result.prefillTokensPerSecond,
                    decodeTokS: result.decodeTokensPerSecond, prefillSamples: result.prefillSamples,
                    decodeSamples: result.decodeSamples, referencePrefillTokS: llama?.prefillTokensPerSecond,
                    referenceDecodeTokS: llama?.decodeTokensPerSecond, referencePrefillSamples: llama?.prefillSamples,
                    referenceDecodeSamples: llama?.decodeSamples))
            return
        }
        let rows = [
            ("pp\(promptTokens)", result.prefillTokensPerSecond, llama?.prefillTokensPerSecond),
            ("tg\(genTokens)", result.decodeTokensPerSecond, llama?.decodeTokensPerSecond),
        ]
        let table = TextTable(header: llama == nil ? ["test", "assay tok/s"] : ["test", "assay tok/s", "llama.cpp tok/s", "ratio"])
        for (test, mine, theirs) in rows {
            let figures = [test, String(format: "%.1f", mine)]
            table.add(theirs.map { figures + [String(format: "%.1f", $0), String(format: "%.2fx", mine / $0)] } ?? figures)
        }
        print(table.render())
        print("kernels \(EngineBenchmark.kernelLevel) on \(cpu)")
        print("threads \(threads), medians of \(repetitions) repetitions\(reference.map { "; reference: \($0), run after each" } ?? "")")
    }
}
