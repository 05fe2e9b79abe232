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

            A fleet: give --base-url (or --host) once per server that serves the same model. A run \
            spreads its items over them, each server taking --concurrency requests at once, or its \
            own --endpoint-concurrency (one per URL, in the same order). A server whose requests keep \
            failing after --retries is dropped for the rest of the run and its requests go to the \
            others; the run summary gives each server's predictions, time and energy.

            Example:
              assay model add smol --gguf ~/models/SmolLM2-135M-Instruct.Q4_1.gguf
              assay model add llama-q4 --ollama llama3.2:1b-instruct-q4_0 --host http://127.0.0.1:11434
              assay model add qwen-server --openai qwen2.5-7b --base-url http://127.0.0.1:8080/v1 --api-key-env LLAMA_KEY
              assay model add fleet --openai qwen --base-url http://10.0.0.1:8080/v1 --base-url http://10.0.0.2:8080/v1
            """
    )

    @Argument(help: "The model's name in the database.")
    var name: String

    @Option(help: ArgumentHelp("A GGUF file run by the embedded engine.", valueName: "path"))
    var gguf: String?

    @Option(help: ArgumentHelp("An Ollama model tag.", valueName: "tag"))
    var ollama: String?

    @Option(help: ArgumentHelp("The Ollama server (default http://127.0.0.1:11434); repeat for a fleet.", valueName: "url"))
    var host: [String] = []

    @Option(help: ArgumentHelp("The model name an OpenAI-compatible server serves.", valueName: "model"))
    var openai: String?

    @Option(help: ArgumentHelp("The OpenAI-compatible API root, such as http://127.0.0.1:8080/v1; repeat for a fleet.", valueName: "url"))
    var baseURL: [String] = []

    @Option(
        help: ArgumentHelp(
            "A fleet server's requests at once, once per --base-url or --host in their order (default: the run's --concurrency).",
            valueName: "n"))
    var endpointConcurrency: [Int] = []

    @Option(help: ArgumentHelp("The environment variable that holds the API key.", valueName: "var"))
    var apiKeyEnv: String?

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        let chosen = [gguf, ollama, openai].compactMap { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("give exactly one of --gguf PATH, --ollama TAG or --openai MODEL")
        }
        if !host.isEmpty && ollama == nil { throw ValidationError("--host goes with --ollama") }
        if (!baseURL.isEmpty || apiKeyEnv != nil) && openai == nil {
            throw ValidationError("--base-url and --api-key-env go with --openai")
        }
        if openai != nil && baseURL.isEmpty {
            throw ValidationError("--openai needs --base-url, the API root such as http://127.0.0.1:8080/v1")
        }
        let urls = host + baseURL
        if urls.count < 2 && !endpointConcurrency.isEmpty {
            throw ValidationError("--endpoint-concurrency is for a fleet of several servers; with one, give the run --concurrency N")
        }
        if !endpointConcurrency.isEmpty && endpointConcurrency.count != urls.count {
            throw ValidationError(
                "give --endpoint-concurrency once per server URL (\(urls.count) given, \(endpointConcurrency.count) concurrencies), or leave it out"
            )
        }
        if let bad = endpointConcurrency.first(where: { $0 < 1 }) {
            throw ValidationError("--endpoint-concurrency must be at least 1 (got \(bad))")
        }
        if let repeated = urls.first(where: { url in urls.filter { $0 == url }.count > 1 }) {
            throw ValidationError(
                "server \(repeated) is given twice; give each server once (--endpoint-concurrency sets its requests at once)")
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
        let servers =
            ollama != nil
            ? try endpoints(host.isEmpty ? ["http://127.0.0.1:11434"] : host, option: "--host")
            : try endpoints(baseURL, option: "--base-url")
        return ModelRecord(
            name: name, backend: ollama != nil ? .ollama : .openai, reference: ollama ?? openai ?? "", host: servers.first?.url,
            endpoints: servers.count > 1 ? servers : nil, apiKeyEnv: apiKeyEnv, quantization: ollama.flatMap(Self.quantizationInTag))
    }

    /// The servers given, each checked to be an http(s) URL, with its concurrency where one was given.
    private func endpoints(_ urls: [String], option: String) throws -> [ServerEndpoint] {
        try urls.enumerated().map { index, text in
            ServerEndpoint(
                url: try Self.serverURL(text, option: option).absoluteString,
                concurrency: endpointConcurrency.isEmpty ? nil : endpointConcurrency[index])
        }
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
