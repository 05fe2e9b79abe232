import ArgumentParser
import AssayCore
import AssayInference
import AssayStore
import AssaySupport
import Foundation

struct ModelAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a model by name.",
        discussion: """
            Exactly one of --gguf, --ollama or --openai. A GGUF file is read and checked: its \
            architecture, quantization (general.file_type), parameter count, sha256 and size are stored. \
            For an OpenAI-compatible server, --base-url is the API root (requests go to its \
            /chat/completions) and --api-key-env names the environment variable holding the key.

            Example:
              assay model add smol --gguf ~/models/SmolLM2-135M-Instruct.Q4_1.gguf
              assay model add llama-q4 --ollama llama3.2:1b-instruct-q4_0 --host http://127.0.0.1:11434
              assay model add qwen-server --openai qwen2.5-7b --base-url http://127.0.0.1:8080/v1 --api-key-env LLAMA_KEY
            """
    )

    @Argument(help: "The model's name in the database.")
    var name: String

    @Option(help: ArgumentHelp("A GGUF file run by the embedded engine.", valueName: "path"))
    var gguf: String?

    @Option(help: ArgumentHelp("An Ollama model tag.", valueName: "tag"))
    var ollama: String?

    @Option(help: ArgumentHelp("The Ollama server (default http://127.0.0.1:11434).", valueName: "url"))
    var host: String?

    @Option(help: ArgumentHelp("The model name an OpenAI-compatible server serves.", valueName: "model"))
    var openai: String?

    @Option(help: ArgumentHelp("The OpenAI-compatible API root, such as http://127.0.0.1:8080/v1.", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("The environment variable that holds the API key.", valueName: "var"))
    var apiKeyEnv: String?

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        let chosen = [gguf, ollama, openai].compactMap { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("give exactly one of --gguf PATH, --ollama TAG or --openai MODEL")
        }
        if host != nil && ollama == nil { throw ValidationError("--host goes with --ollama") }
        if (baseURL != nil || apiKeyEnv != nil) && openai == nil { throw ValidationError("--base-url and --api-key-env go with --openai") }
        if openai != nil && baseURL == nil {
            throw ValidationError("--openai needs --base-url, the API root such as http://127.0.0.1:8080/v1")
        }
    }

    func run() throws {
        try Self.register(try makeRecord(), in: database.open(create: true), json: output.json)
    }

    /// Stores `record` and says so; `assay demo` registers its variants through this too.
    static func register(_ record: ModelRecord, in store: AssayStore, json: Bool = false) throws {
        let (stored, created) = try store.addModel(record)
        if json {
            try JSONOutput.print(stored)
        } else {
            print(
                created
                    ? "Registered model '\(record.name)': \(ModelListCommand.summary(of: stored))."
                    : "Model '\(record.name)' is already registered with this definition; nothing changed.")
        }
    }

    /// An embedded model's record: the GGUF file read and checked, its facts stored.
    static func embeddedRecord(name: String, file: URL) throws -> ModelRecord {
        let facts = try GGUFModelFacts(contentsOf: file)
        return ModelRecord(
            name: name, backend: .embedded, reference: file.path, architecture: facts.architecture,
            quantization: facts.quantization, parameterCount: facts.parameterCount,
            fileSha256: facts.sha256, fileSize: facts.size)
    }

    private func makeRecord() throws -> ModelRecord {
        if let gguf {
            let url = URL(fileURLWithPath: (gguf as NSString).expandingTildeInPath).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw AssayError("\(gguf): no such file; pass the path of a .gguf model file")
            }
            return try Self.embeddedRecord(name: name, file: url)
        }
        if let ollama {
            let server = try Self.serverURL(host ?? "http://127.0.0.1:11434", option: "--host")
            return ModelRecord(
                name: name, backend: .ollama, reference: ollama, host: server.absoluteString,
                quantization: Self.quantizationInTag(ollama))
        }
        let server = try Self.serverURL(baseURL ?? "", option: "--base-url")
        return ModelRecord(name: name, backend: .openai, reference: openai ?? "", host: server.absoluteString, apiKeyEnv: apiKeyEnv)
    }

    static func serverURL(_ text: String, option: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw AssayError("\(option) '\(text)' is not an http(s) URL; write it like http://127.0.0.1:11434")
        }
        return url
    }

    /// Ollama tags usually name their quantization ("llama3.2:1b-instruct-q4_K_M").
    static func quantizationInTag(_ tag: String) -> String? {
        let parts = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == ":" })
        return parts.last { $0.range(of: #"^(q\d(_[0-9a-z]+)*|f16|fp16|bf16|f32)$"#, options: .regularExpression) != nil }
            .map { $0.uppercased() }
    }
}
