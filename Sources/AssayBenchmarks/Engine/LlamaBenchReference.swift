import AssaySupport
import Foundation

/// llama.cpp's own figures for the same model, threads and sizes, taken by running a `llama-bench`
/// binary between the engine's repetitions: a ratio means something only against a reference
/// measured on the same machine at the same time (on shared VMs memory bandwidth swings by a third
/// from one minute to the next).
public struct LlamaBenchReference: Sendable, Equatable {
    /// Prompt tokens per second, one figure per llama-bench repetition.
    public let prefillSamples: [Double]
    /// Generated tokens per second, one figure per repetition.
    public let decodeSamples: [Double]

    public var prefillTokensPerSecond: Double { EngineBenchmark.median(prefillSamples) }
    public var decodeTokensPerSecond: Double { EngineBenchmark.median(decodeSamples) }

    /// The samples of several runs together.
    public static func combining(_ runs: [LlamaBenchReference]) -> LlamaBenchReference {
        LlamaBenchReference(prefillSamples: runs.flatMap(\.prefillSamples), decodeSamples: runs.flatMap(\.decodeSamples))
    }

    /// Runs `binary` (a llama-bench executable) on `model` with the benchmark's sizes, `repetitions` times.
    public static func measure(
        binary: String, model: String, threads: Int, benchmark: EngineBenchmark,
        repetitions: Int
    ) throws -> LlamaBenchReference {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw AssayError(
                "\(binary): not an executable file; pass --reference with the path of a llama-bench binary built from llama.cpp")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "-m", model, "-t", String(threads), "-p", String(benchmark.promptTokens),
            "-n", String(benchmark.generatedTokens), "-r", String(repetitions), "-o", "json",
        ]
        // Its log (every tensor of the model, on stderr) can outgrow a pipe while this process waits
        // on stdout, so it goes to a file; the JSON on stdout is read while llama-bench runs.
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("assay-llama-bench-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw AssayError("cannot create \(logURL.path) for llama-bench's log; check that the temporary folder is writable")
        }
        defer { try? FileManager.default.removeItem(at: logURL) }
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = log
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? Data(contentsOf: logURL)) ?? Data()
            let lastLine = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw AssayError(
                "\(binary) exited with status \(process.terminationStatus)\(lastLine.isEmpty ? "" : ": \(lastLine)"); run it by hand with -m \(model) to see why"
            )
        }
        return try parse(stdout, source: binary, benchmark: benchmark)
    }

    /// Reads llama-bench's `-o json` output: one object per test, with `n_prompt`, `n_gen` and the
    /// per-repetition `samples_ts` (or only `avg_ts` in older versions).
    static func parse(_ data: Data, source: String, benchmark: EngineBenchmark) throws -> LlamaBenchReference {
        struct Test: Decodable {
            let n_prompt: Int
            let n_gen: Int
            let avg_ts: Double
            let samples_ts: [Double]?
        }
        let tests: [Test]
        do {
            tests = try JSONDecoder().decode([Test].self, from: data)
        } catch {
            throw AssayError(
                "\(source): its output is not llama-bench JSON (\(error.localizedDescription)); check that --reference names llama-bench")
        }
        func samples(prompt: Int, generated: Int, test: String) throws -> [Double] {
            guard let found = tests.first(where: { $0.n_prompt == prompt && $0.n_gen == generated }) else {
                throw AssayError("\(source): its output has no \(test) result; check that --reference names llama-bench")
            }
            let samples = found.samples_ts ?? []
            return samples.isEmpty ? [found.avg_ts] : samples
        }
        return LlamaBenchReference(
            prefillSamples: try samples(prompt: benchmark.promptTokens, generated: 0, test: "pp\(benchmark.promptTokens)"),
            decodeSamples: try samples(prompt: 0, generated: benchmark.generatedTokens, test: "tg\(benchmark.generatedTokens)"))
    }
}
