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

            With --dataset and --runs BASE,MODEL, each item both runs answered is read instead: the chat \
            prompt the base run sent for it (rebuilt from its stored task, in the base model's chat format) \
            followed by the answer the base run stored, evaluated whole by both models in a fresh context of \
            the base run's context length. Each item's mean KL divergence over every position of its prompt \
            and answer, over its answer's alone, and its top-token agreement are stored beside its flip between \
            the two runs (right -> wrong, wrong -> right, both right, both wrong), and the output sets the mean \
            KLD of each flip category beside the items that diverged most. --base and --model default to the \
            runs' models when these are GGUF files of the embedded engine. The measurement is stored whole, in \
            one transaction, once every item is read.

            Example:
              assay divergence --base smollm2-f16 --model smollm2-q4_0 --text wiki.txt --context 512 --chunks 16
              assay divergence --base base.gguf --model quantized.gguf --text wiki.txt --json
              assay divergence --dataset fpb --runs 1,2
            """
    )

    @Option(
        help:
            "The base model: a path to a .gguf file, or the name of an embedded model in the database (with --dataset: the base run's model by default)."
    )
    var base: String?

    @Option(help: "The model compared with it, usually a quantization of the base (with --dataset: the other run's model by default).")
    var model: String?

    @Option(help: "The text file to read (UTF-8).")
    var text: String?

    @Option(help: "Instead of a text: the dataset whose items the two --runs answered.")
    var dataset: String?

    @Option(
        help: ArgumentHelp("With --dataset: the base model's run and the compared model's, in that order.", valueName: "base,model"),
        transform: RunPair.parse)
    var runs: RunPair?

    @Option(help: "Tokens per chunk of --text (default 512).")
    var context: Int?

    @Option(help: "At most this many chunks of --text (default: as many as the text fills).")
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

    func validate() throws {
        switch (text, dataset) {
        case (nil, nil):
            throw ValidationError("give --text FILE (a text read in chunks) or --dataset NAME --runs BASE,MODEL (two runs' items)")
        case (.some, .some):
            throw ValidationError("--text and --dataset are exclusive: measure on a text or on a pair of runs' items, not both")
        case (.some, nil):
            if base == nil || model == nil { throw ValidationError("--text needs --base and --model: the two model files to compare") }
            if runs != nil { throw ValidationError("--runs goes with --dataset; on a text, leave it out") }
        case (nil, .some):
            if runs == nil { throw ValidationError("--dataset needs --runs BASE,MODEL: the two runs whose items to read") }
            if context != nil || chunks != nil {
                throw ValidationError(
                    "--context and --chunks cut a --text; with --dataset each item is read whole, in the base run's context")
            }
        }
    }

    func run() throws {
        if let dataset, let runs {
            try DatasetDivergence.measure(
                dataset: dataset, runs: runs, base: base, model: model, threads: engine.resolvedThreads, json: output.json,
                database: database)
            return
        }
        guard let text, let base, let model else { return }
        let settings = ChunkSettings(context: context ?? ChunkSettings().context, chunks: chunks)
        try settings.validate()
        try Self.measure(
            base: base, model: model, text: text, settings: settings, threads: engine.resolvedThreads, json: output.json,
            database: database)
    }

    /// Measures `model` against `base` on the text file, stores the figures and prints them;
    /// `assay demo` measures its pair through this too.
    @discardableResult
    static func measure(
        base: String, model: String, text: String, settings: ChunkSettings, threads: Int, json: Bool, database: DatabaseOptions
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
        var record = DivergenceRecord(
            baseModel: base, model: model, baseSha256: try SHA256.hex(ofFileAt: baseFile).digest,
            modelSha256: try SHA256.hex(ofFileAt: modelFile).digest, textSource: text, textSha256: SHA256.hex(of: bytes),
            settings: try storedJSON(settings), report: try storedJSON(report), host: HostDescription.current(), threads: threads,
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

    /// A measurement's settings or report as the divergence table stores them: compact, snake-case keys, sorted.
    static func storedJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func text(_ result: Output) -> String {
        let report = result.report
        return
            ([
                "Divergence \(result.id.map(String.init) ?? ""): \(result.model) against \(result.base) on \(result.text)",
                "\(report.chunks) chunks of \(report.context) tokens, \(report.tokensScored) tokens scored, \(formatFixed(result.seconds, decimals: 2)) s on \(result.threads) threads",
                "",
            ] + figureLines(report) + [
                "",
                "stored with base sha256 \(result.baseSha256.prefix(16))…, model sha256 \(result.modelSha256.prefix(16))…, text sha256 \(result.textSha256.prefix(16))…",
            ]).joined(separator: "\n")
    }

    /// The figures of a report, one a line; a dataset's measurement prints them too.
    static func figureLines(_ report: DivergenceReport) -> [String] {
        func figure(_ value: Double) -> String { formatSignificant(value, digits: 6) }
        func estimate(_ value: DivergenceReport.Estimate, percent: Bool = false) -> String {
            let scale = percent ? 100.0 : 1
            return "\(figure(value.value * scale)) ± \(figure(value.standardError * scale))\(percent ? " %" : "")"
        }
        return [
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
        ]
    }
}
