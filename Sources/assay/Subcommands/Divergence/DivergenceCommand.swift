import ArgumentParser
import AssayCore
import AssayEngine
import AssayInference
import AssayStore
import AssaySupport
import Foundation

struct DivergenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "divergence",
        abstract: "Measure what quantization changed: KL divergence, top-token agreement and perplexity against the base model.",
        discussion: """
            Both models read the same text in chunks of --context tokens, as llama-perplexity \
            --kl-divergence reads it: each chunk is evaluated in a fresh context (its first token made BOS \
            where the model adds one) and every position of its second half but the last is scored. Per \
            scored token: the KL divergence of the model's next-token distribution from the base's, whether \
            their most probable tokens agree, the change in the probability of the text's actual next token \
            (delta p), and both models' loss. The figures are stored with both files' sha256, the text's \
            sha256 and the settings.

            Example:
              assay divergence --base smollm2-f16 --model smollm2-q4_0 --text wiki.txt --context 512 --chunks 16
              assay divergence --base base.gguf --model quantized.gguf --text wiki.txt --json
            """
    )

    @Option(help: "The base model: a path to a .gguf file, or the name of an embedded model in the database.")
    var base: String

    @Option(help: "The model compared with it (usually a quantization of the base).")
    var model: String

    @Option(help: "The text file to read (UTF-8).")
    var text: String

    @Option(help: "Tokens per chunk.")
    var context = 512

    @Option(help: "At most this many chunks (default: as many as the text fills).")
    var chunks: Int?

    @OptionGroup var engine: EngineOptions
    @OptionGroup var output: JSONOption
    @OptionGroup var database: DatabaseOptions

    struct Output: Encodable {
        let id: DivergenceID?
        let base: String
        let model: String
        let baseSha256: String
        let modelSha256: String
        let text: String
        let textSha256: String
        let threads: Int
        let seconds: Double
        let report: DivergenceReport
    }

    func run() throws {
        let settings = DivergenceSettings(context: context, chunks: chunks)
        try settings.validate()
        try Self.measure(
            base: base, model: model, text: text, settings: settings, threads: engine.resolvedThreads, json: output.json,
            database: database)
    }

    /// Measures `model` against `base` on the text file, stores the figures and prints them;
    /// `assay demo` measures its pair through this too.
    @discardableResult
    static func measure(
        base: String, model: String, text: String, settings: DivergenceSettings, threads: Int, json: Bool, database: DatabaseOptions
    ) throws -> DivergenceRecord {
        let bytes = try InputFile.read(text)
        guard let contents = String(validating: bytes, as: UTF8.self) else {
            throw AssayError("\(text) is not valid UTF-8 text; re-save it as UTF-8")
        }
        let baseFile = try ModelLocator.file(base, database: database)
        let modelFile = try ModelLocator.file(model, database: database)
        let meter = try DivergenceMeter(
            base: try Session(model: try EngineModel(contentsOf: baseFile), threads: threads, contextLength: settings.context),
            model: try Session(model: try EngineModel(contentsOf: modelFile), threads: threads, contextLength: settings.context),
            settings: settings)
        let started = ContinuousClock.now
        let display = ProgressDisplay()
        let report = try meter.measure(text: contents) { done, total in
            let elapsed = (ContinuousClock.now - started).secondsValue
            let eta = done > 0 ? " ETA \(ProgressDisplay.duration(elapsed / Double(done) * Double(total - done)))" : ""
            display.message("chunk \(done)/\(total)\(eta)")
        }
        let seconds = (ContinuousClock.now - started).secondsValue
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        var record = DivergenceRecord(
            baseModel: base, model: model, baseSha256: try SHA256.hex(ofFileAt: baseFile).digest,
            modelSha256: try SHA256.hex(ofFileAt: modelFile).digest, textSource: text, textSha256: SHA256.hex(of: bytes),
            settings: String(decoding: try encoder.encode(settings), as: UTF8.self),
            report: String(decoding: try encoder.encode(report), as: UTF8.self), host: HostDescription.current(), threads: threads,
            seconds: seconds)
        record = try database.open(create: true).saveDivergence(record)
        let result = Output(
            id: record.id, base: base, model: model, baseSha256: record.baseSha256, modelSha256: record.modelSha256, text: text,
            textSha256: record.textSha256, threads: threads, seconds: seconds, report: report)
        if json {
            try JSONOutput.print(result)
        } else {
            print(Self.text(result))
        }
        return record
    }

    static func text(_ result: Output) -> String {
        let report = result.report
        func figure(_ value: Double) -> String { formatSignificant(value, digits: 6) }
        func estimate(_ value: DivergenceReport.Estimate, percent: Bool = false) -> String {
            let scale = percent ? 100.0 : 1
            return "\(figure(value.value * scale)) ± \(figure(value.standardError * scale))\(percent ? " %" : "")"
        }
        return [
            "Divergence \(result.id.map(String.init) ?? ""): \(result.model) against \(result.base) on \(result.text)",
            "\(report.chunks) chunks of \(report.context) tokens, \(report.tokensScored) tokens scored, \(formatFixed(result.seconds, decimals: 2)) s on \(result.threads) threads",
            "",
            "PPL(base)              \(estimate(report.basePerplexity))",
            "PPL(model)             \(estimate(report.modelPerplexity))",
            "PPL(model)/PPL(base)   \(figure(report.perplexityRatio))",
            "mean KLD               \(estimate(report.kld.mean))",
            "median KLD             \(figure(report.kld.median))",
            "KLD p90 / p95 / p99    \(figure(report.kld.p90)) / \(figure(report.kld.p95)) / \(figure(report.kld.p99))",
            "KLD p99.9 / max        \(figure(report.kld.p999)) / \(figure(report.kld.max))",
            "same top token         \(estimate(report.sameTopToken, percent: true))",
            "mean delta p           \(estimate(report.meanDeltaP, percent: true))",
            "RMS delta p            \(figure(report.rmsDeltaP * 100)) %",
            "",
            "stored with base sha256 \(result.baseSha256.prefix(16))…, model sha256 \(result.modelSha256.prefix(16))…, text sha256 \(result.textSha256.prefix(16))…",
        ].joined(separator: "\n")
    }
}
