import AssayEngine
import AssaySupport
import CKernels
import Foundation

/// Prompt-processing and generation speed, measured like llama-bench's pp and tg tests: a fresh
/// context each repetition, pseudo-random token ids, medians over the repetitions.
public struct EngineBenchmark: Sendable {
    public struct Result: Sendable, Equatable {
        public let threads: Int
        public let promptTokens: Int
        public let generatedTokens: Int
        public let repetitions: Int
        /// Median prompt tokens per second (one batched evaluation of `promptTokens`).
        public let prefillTokensPerSecond: Double
        /// Median generated tokens per second (`generatedTokens` single-token steps).
        public let decodeTokensPerSecond: Double
        public let prefillSamples: [Double]
        public let decodeSamples: [Double]
    }

    public let promptTokens: Int
    public let generatedTokens: Int
    public let repetitions: Int

    /// The kernel level the engine's products use on this CPU: "avx512-vnni", "avx2" or "portable".
    public static var kernelLevel: String { String(cString: ck_kernel_level_name(ck_kernel_level())) }

    public init(promptTokens: Int = 512, generatedTokens: Int = 128, repetitions: Int = 5) throws {
        guard promptTokens >= 1, generatedTokens >= 1, repetitions >= 1 else {
            throw AssayError(
                "benchmark sizes must be 1 or more (prompt \(promptTokens), "
                    + "generated \(generatedTokens), repetitions \(repetitions))")
        }
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.repetitions = repetitions
    }

    /// - Parameter afterEachRepetition: runs between repetitions (with the repetition's index), for a
    ///   reference measurement that should see the same minutes of the machine as the engine.
    public func run(model: EngineModel, threads: Int, afterEachRepetition: ((Int) throws -> Void)? = nil) throws -> Result {
        let session = try Session(
            model: model, threads: threads,
            contextLength: max(promptTokens, generatedTokens) + 1)
        var random = SplitMix64(seed: 42)
        let vocabulary = UInt64(model.tokenizer.count)
        func tokens(_ count: Int) -> [Int] { (0..<count).map { _ in Int(random.next() % vocabulary) } }
        // One untimed warm-up run touches every weight and sizes the buffers.
        _ = try session.timeEvaluation(tokens(min(promptTokens, 32)), oneByOne: false)
        var prefill: [Double] = []
        var decode: [Double] = []
        for repetition in 0..<repetitions {
            prefill.append(Double(promptTokens) / (try session.timeEvaluation(tokens(promptTokens), oneByOne: false)))
            decode.append(Double(generatedTokens) / (try session.timeEvaluation(tokens(generatedTokens), oneByOne: true)))
            try afterEachRepetition?(repetition)
        }
        return Result(
            threads: threads, promptTokens: promptTokens, generatedTokens: generatedTokens,
            repetitions: repetitions, prefillTokensPerSecond: Self.median(prefill),
            decodeTokensPerSecond: Self.median(decode), prefillSamples: prefill, decodeSamples: decode)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
