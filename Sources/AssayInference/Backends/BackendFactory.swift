import AssayCore
import AssayStore
import Foundation

/// Makes the backend that runs a registered model.
public enum BackendFactory {
    public struct Options: Sendable {
        /// Seconds without a byte from a server before a request fails.
        public var timeoutSeconds: Double
        /// Ollama: stream the answer as NDJSON (true) or ask for one JSON object.
        public var streaming: Bool
        public var environment: [String: String]

        public init(timeoutSeconds: Double = 120, streaming: Bool = true,
                    environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.timeoutSeconds = timeoutSeconds
            self.streaming = streaming
            self.environment = environment
        }
    }

    public static func backend(for model: ModelRecord, options: Options) throws -> any InferenceBackend {
        switch model.backend {
        case .ollama:
            return OllamaBackend(host: try server(model), model: model.reference, streaming: options.streaming,
                                 timeoutSeconds: options.timeoutSeconds)
        case .openai:
            var key: String?
            if let variable = model.apiKeyEnv {
                guard let value = options.environment[variable], !value.isEmpty else {
                    throw AssayError("model '\(model.name)' reads its API key from $\(variable), which is not set; export \(variable)=... first")
                }
                key = value
            }
            return OpenAICompatibleBackend(baseURL: try server(model), model: model.reference, apiKey: key,
                                           timeoutSeconds: options.timeoutSeconds)
        case .embedded:
            throw AssayError("model '\(model.name)' runs on the embedded engine, which cannot generate text yet in this build; register an Ollama or OpenAI-compatible model")
        case .imported:
            throw AssayError("model '\(model.name)' only has imported predictions and cannot be run; register a runnable model with assay model add")
        }
    }

    private static func server(_ model: ModelRecord) throws -> URL {
        guard let host = model.host, let url = URL(string: host) else {
            throw AssayError("model '\(model.name)' has no server URL; register it again with assay model add")
        }
        return url
    }
}
