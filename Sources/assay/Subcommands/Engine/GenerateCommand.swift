import ArgumentParser
import AssayEngine
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with the embedded engine from a GGUF model.",
        discussion: """
            Greedy by default; --temperature above 0 samples (with --top-k, --top-p and --seed), \
            --beam N runs beam search. With --chat the prompt is one user message in the model's chat \
            format (its default system message unless --system is given), recognised from the file's \
            tokenizer.chat_template; --template NAME picks one of chatml, llama3, phi3, gemma, mistral instead.

            Example:
              assay generate --model SmolLM2-135M-Instruct.Q4_1.gguf --chat --prompt "Name three colors." --max-tokens 32
            """
    )

    @Option(help: "The model: a path to a .gguf file, or the name of an embedded model in the database.")
    var model: String

    @Option(help: "The prompt text (special-token text such as <|im_start|> is parsed).")
    var prompt: String

    @Flag(help: "Format the prompt as a user message with the model's chat template.")
    var chat = false

    @Option(help: "The system message for --chat.")
    var system: String?

    @Option(help: "The chat format for --chat when the file's template is not recognised: chatml, llama3, phi3, gemma or mistral.")
    var template: String?

    @Option(help: "0 for greedy decoding, higher to sample.")
    var temperature: Double = 0

    @Option(name: .customLong("top-k"), help: "Sample among the k most likely tokens (0: all).")
    var topK: Int = 40

    @Option(name: .customLong("top-p"), help: "Sample among the most likely tokens covering this probability.")
    var topP: Double = 0.95

    @Option(name: .customLong("max-tokens"), help: "The most new tokens.")
    var maxTokens: Int = 256

    @Option(help: "The random seed for sampling.")
    var seed: UInt64 = 0

    @Option(help: "Beam search with this many beams (deterministic; sampling options are ignored).")
    var beam: Int?

    @OptionGroup var engine: EngineOptions
    @OptionGroup var output: JSONOption
    @OptionGroup var database: DatabaseOptions

    struct Output: Encodable {
        let ids: [Int]
        let text: String
        let promptTokens: Int
        let completionTokens: Int
        let stopReason: String
        let prefillSeconds: Double
        let decodeSeconds: Double
        let prefillTokS: Double
        let decodeTokS: Double
    }

    func run() throws {
        let loaded = try EngineModel(contentsOf: ModelLocator.file(model, database: database))
        let session = try Session(model: loaded, threads: engine.resolvedThreads)
        let format = try template.map(ChatTemplate.init(named:))
        let text = chat ? try session.chatPrompt(user: prompt, system: system, template: format) : prompt
        let options = GenerationOptions(
            maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP,
            seed: seed, beamWidth: beam)
        let result = try session.generate(prompt: text, options: options)
        if output.json {
            try JSONOutput.print(
                Output(
                    ids: result.ids, text: result.text, promptTokens: result.promptTokens,
                    completionTokens: result.completionTokens, stopReason: result.stopReason.rawValue,
                    prefillSeconds: result.timings.prefillSeconds, decodeSeconds: result.timings.decodeSeconds,
                    prefillTokS: result.timings.prefillTokensPerSecond, decodeTokS: result.timings.decodeTokensPerSecond))
        } else {
            print(result.text)
        }
    }
}
