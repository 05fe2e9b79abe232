import Foundation

/// llama.cpp's own figures for the same model, threads and sizes, taken by running a `llama-bench`
/// binary right after the engine's run: a ratio means something only against a reference measured
/// on the same machine at the same time (on shared VMs memory bandwidth swings by a third).
public struct LlamaBenchReference: Sendable, Equatable {
    /// Median prompt tokens per second over llama-bench's repetitions.
    public let prefillTokensPerSecond: Double
    /// Median generated tokens per second.
    public let decodeTokensPerSecond: Double

    /// Runs `binary` (a llama-bench executable) on `model` with the benchmark's sizes.
    public static func measure(binary: String, model: String, threads: Int, benchmark: EngineBenchmark) throws -> LlamaBenchReference {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw AssayEngineError("\(binary): not an executable file; pass --reference with the path of a llama-bench binary built from llama.cpp")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-m", model, "-t", String(threads), "-p", String(benchmark.promptTokens),
                             "-n", String(benchmark.generatedTokens), "-r", String(benchmark.repetitions), "-o", "json"]
        // Its log (every tensor of the model, on stderr) can outgrow a pipe while this process waits
        // on stdout, so it goes to a file; the JSON on stdout is read while llama-bench runs.
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("assay-llama-bench-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw AssayEngineError("cannot create \(logURL.path) for llama-bench's log; check that the temporary folder is writable")
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
            throw AssayEngineError("\(binary) exited with status \(process.terminationStatus)\(lastLine.isEmpty ? "" : ": \(lastLine)"); run it by hand with -m \(model) to see why")
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
            throw AssayEngineError("\(source): its output is not llama-bench JSON (\(error.localizedDescription)); check that --reference names llama-bench")
        }
        func speed(prompt: Int, generated: Int, test: String) throws -> Double {
            guard let found = tests.first(where: { $0.n_prompt == prompt && $0.n_gen == generated }) else {
                throw AssayEngineError("\(source): its output has no \(test) result; check that --reference names llama-bench")
            }
            let samples = found.samples_ts ?? []
            return samples.isEmpty ? found.avg_ts : EngineBenchmark.median(samples)
        }
        return LlamaBenchReference(
            prefillTokensPerSecond: try speed(prompt: benchmark.promptTokens, generated: 0, test: "pp\(benchmark.promptTokens)"),
            decodeTokensPerSecond: try speed(prompt: 0, generated: benchmark.generatedTokens, test: "tg\(benchmark.generatedTokens)"))
    }
}
