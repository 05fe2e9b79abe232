import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// Makes the backend that runs a registered model.
public enum BackendFactory {
    public struct Options: Sendable {
        /// Seconds without a byte from a server before a request fails.
        public var timeoutSeconds: Double
        /// Ollama: stream the answer as NDJSON (true) or ask for one JSON object.
        public var streaming: Bool
        /// Embedded engine: worker threads for the matrix products.
        public var threads: Int
        /// Embedded engine: requests evaluated together (the task's batch_size, or --batch-size).
        public var batchSize: Int
        public var environment: [String: String]
        /// A fleet: requests at once on each server that does not set its own (--concurrency).
        public var serverConcurrency: Int
        /// A fleet: the retries on one server before its request moves to another.
        public var retry: RetryPolicy
        /// A fleet: hears each retry, each request moved and each server dropped.
        public var onNotice: @Sendable (String) -> Void

        public init(
            timeoutSeconds: Double = 120, streaming: Bool = true, threads: Int = BackendFactory.defaultThreads,
            batchSize: Int = 1, environment: [String: String] = ProcessInfo.processInfo.environment, serverConcurrency: Int = 1,
            retry: RetryPolicy = RetryPolicy(), onNotice: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.timeoutSeconds = timeoutSeconds
            self.streaming = streaming
            self.threads = threads
            self.batchSize = batchSize
            self.environment = environment
            self.serverConcurrency = serverConcurrency
            self.retry = retry
            self.onNotice = onNotice
        }
    }

    public static func backend(for model: ModelRecord, options: Options) throws -> any InferenceBackend {
        let servers = model.servers
        guard servers.count > 1 else { return try backend(for: model, at: servers.first?.url, options: options) }
        let members = try servers.map { server in
            FleetMember(
                url: server.url, backend: try backend(for: model, at: server.url, options: options),
                concurrency: server.concurrency ?? options.serverConcurrency)
        }
        return try FleetBackend(members: members, retry: options.retry, onNotice: options.onNotice)
    }

    /// The backend for one server of `model` (`url`; nil for the embedded engine).
    private static func backend(for model: ModelRecord, at url: String?, options: Options) throws -> any InferenceBackend {
        switch model.backend {
        case .ollama:
            return OllamaBackend(
                host: try server(url, of: model), model: model.reference, streaming: options.streaming,
                timeoutSeconds: options.timeoutSeconds)
        case .openai:
            var key: String?
            if let variable = model.apiKeyEnv {
                guard let value = options.environment[variable], !value.isEmpty else {
                    throw AssayError(
                        "model '\(model.name)' reads its API key from $\(variable), which is not set; export \(variable)=... first")
                }
                key = value
            }
            return OpenAICompatibleBackend(
                baseURL: try server(url, of: model), model: model.reference, apiKey: key,
                timeoutSeconds: options.timeoutSeconds)
        case .embedded:
            return try EmbeddedBackend(modelFile: try modelFile(model), threads: options.threads, batchSize: options.batchSize)
        case .imported:
            throw AssayError(
                "model '\(model.name)' only has imported predictions and cannot be run; register a runnable model with assay model add")
        }
    }

    /// The embedded engine's default: every core, as the engine's worker pool scales to them.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The registered GGUF file, checked to be the one registered (same size).
    private static func modelFile(_ model: ModelRecord) throws -> URL {
        let url = URL(fileURLWithPath: model.reference)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
            throw AssayError(
                "model '\(model.name)': its file \(model.reference) is gone; restore it or register the model again under a new name")
        }
        if let expected = model.fileSize, let size = attributes[.size] as? Int64, size != expected {
            throw AssayError(
                "model '\(model.name)': \(model.reference) is \(size) bytes but was \(expected) when registered; the file changed, so register it again under a new name"
            )
        }
        return url
    }

    private static func server(_ text: String?, of model: ModelRecord) throws -> URL {
        guard let text, let url = URL(string: text) else {
            throw AssayError("model '\(model.name)' has no server URL; register it again with assay model add")
        }
        return url
    }
}
