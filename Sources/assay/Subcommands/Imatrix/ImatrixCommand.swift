import ArgumentParser
import AssayCore
import AssayEngine
import AssayStore
import AssaySupport
import Foundation
import GGUF

struct ImatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imatrix",
        abstract: "Compute an importance matrix for `assay quantize --imatrix` from calibration text.",
        discussion: """
            The model reads the text in chunks of --context tokens, each in a fresh context, as llama-imatrix \
            reads it, and for every weight matrix of its layers Assay sums each input column's squared \
            activation over all the tokens. Quantizing with the result weights each weight's rounding error \
            by how strongly its column is driven, which lowers the quantized model's divergence from its base, \
            most at 2 to 4 bits. Use text like what the model will see, and not the text you will measure \
            divergence on. The file is llama.cpp's GGUF form (or its legacy form for an --output ending in \
            .dat), readable by llama-quantize too; it is written atomically.

            --text reads a UTF-8 file; --dataset reads the texts of a dataset in the study database, one item \
            after another. The perplexity of each chunk's second half is printed as a check that the text \
            was read sensibly.

            Example:
              assay imatrix --model smollm2-f16.gguf --text calibration.txt --chunks 32 --output smollm2.imatrix.gguf
              assay imatrix --model smollm2-f16 --dataset financial-phrasebank --output fp.imatrix.gguf
              assay quantize smollm2-f16.gguf smollm2-q4_k_m.gguf --type q4_k_m --imatrix smollm2.imatrix.gguf
            """
    )

    @Option(help: "The model: a path to a .gguf file (usually the F16 or F32 source you will quantize), or an embedded model's name.")
    var model: String

    @Option(help: "A calibration text file (UTF-8).")
    var text: String?

    @Option(help: "A dataset in the study database whose item texts are the calibration text.")
    var dataset: String?

    @Option(help: "Tokens per chunk.")
    var context = 512

    @Option(help: "At most this many chunks (default: as many as the text fills).")
    var chunks: Int?

    @Option(help: "The file to write (.gguf, or .dat for llama.cpp's legacy form).")
    var output = "imatrix.gguf"

    @OptionGroup var engine: EngineOptions
    @OptionGroup var json: JSONOption
    @OptionGroup var database: DatabaseOptions

    struct Output: Encodable {
        let output: String
        let model: String
        let modelSha256: String
        let dataset: String
        let chunks: Int
        let context: Int
        let tokens: Int
        let matrices: Int
        let perplexity: Double
        let seconds: Double
        let threads: Int
    }

    func validate() throws {
        guard (text == nil) != (dataset == nil) else {
            throw ValidationError("give the calibration text with exactly one of --text FILE or --dataset NAME")
        }
    }

    func run() throws {
        let settings = ChunkSettings(context: context, chunks: chunks)
        try settings.validate()
        let (calibration, source) = try calibrationText()
        let modelFile = try ModelLocator.file(model, database: database)
        let threads = engine.resolvedThreads
        let meter = try ImportanceMeter(
            session: try Session(model: try EngineModel(contentsOf: modelFile), threads: threads, contextLength: context),
            settings: settings)
        let started = ContinuousClock.now
        let display = ProgressDisplay()
        let result = try meter.measure(text: calibration, dataset: source) { done, total, perplexity in
            let elapsed = (ContinuousClock.now - started).secondsValue
            let eta = done > 0 ? " ETA \(ProgressDisplay.duration(elapsed / Double(done) * Double(total - done)))" : ""
            let figure = perplexity.map { " perplexity \(formatSignificant($0, digits: 5))" } ?? ""
            display.message("chunk \(done)/\(total)\(figure)\(eta)")
        }
        let outputURL = URL(fileURLWithPath: output)
        try result.matrix.write(to: outputURL)
        let summary = Output(
            output: output, model: model, modelSha256: try SHA256.hex(ofFileAt: modelFile).digest, dataset: source, chunks: result.chunks,
            context: context, tokens: result.tokens, matrices: result.matrix.entries.count, perplexity: result.perplexity,
            seconds: (ContinuousClock.now - started).secondsValue, threads: threads)
        if json.json {
            try JSONOutput.print(summary)
        } else {
            print(
                "Wrote \(output): \(summary.matrices) matrices from \(summary.chunks) chunks of \(context) tokens of \(source) "
                    + "(perplexity \(formatSignificant(summary.perplexity, digits: 5)), \(formatFixed(summary.seconds, decimals: 1)) s on \(threads) threads)."
            )
            print("Next: assay quantize SOURCE.gguf OUTPUT.gguf --type q4_k_m --imatrix \(output)")
        }
    }

    /// The calibration text and the name it is recorded under.
    private func calibrationText() throws -> (String, String) {
        if let text {
            guard let contents = String(validating: try InputFile.read(text), as: UTF8.self) else {
                throw AssayError("\(text) is not valid UTF-8 text; re-save it as UTF-8")
            }
            return (contents, text)
        }
        let name = dataset ?? ""
        let items = try database.open().items(ofDatasetNamed: name).items
        return (items.map(\.text).joined(separator: "\n\n"), "dataset \(name)")
    }
}
