import AssayCore
import Foundation

/// An Ollama server's `/api/chat`, streamed (NDJSON, one object per line) or as one JSON object.
///
/// Every decoding option is sent explicitly because Ollama's defaults differ between versions.
public struct OllamaBackend: InferenceBackend {
    public let host: URL
    public let model: String
    public let streaming: Bool
    let transport: HTTPTransport

    /// The durations (nanoseconds) and counts Ollama reports in its final object.
    static let timingKeys = [
        "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration",
        "eval_count", "eval_duration",
    ]

    public init(host: URL, model: String, streaming: Bool, timeoutSeconds: Double) {
        self.host = host
        self.model = model
        self.streaming = streaming
        transport = HTTPTransport(idleTimeout: timeoutSeconds)
    }

    public var displayName: String { "Ollama at \(host.absoluteString)" }
    public var allowsConcurrentRequests: Bool { true }

    public func complete(_ request: ChatRequest) async throws -> Completion {
        let response = try await transport.postJSON(
            try body(for: request), to: host.appendingPathComponent("api/chat"), server: displayName)
        guard response.status == 200 else {
            throw error(for: response)
        }
        return streaming ? try readStream(response.body) : try readSingle(response.body)
    }

    func body(for request: ChatRequest) throws -> Data {
        let settings = request.hyperparameters
        var options: [String: Any] = [
            "temperature": settings.temperature ?? 0, "top_p": settings.topP ?? 1, "top_k": settings.topK ?? 0,
            "num_predict": settings.maxTokens ?? 96, "seed": settings.seed ?? 0, "num_ctx": settings.contextLength ?? 2048,
        ]
        if let threads = request.threads { options["num_thread"] = threads }
        var messages: [[String: String]] = []
        if let system = request.system { messages.append(["role": "system", "content": system]) }
        messages.append(["role": "user", "content": request.user])
        if !request.assistantPrefix.isEmpty { messages.append(["role": "assistant", "content": request.assistantPrefix]) }
        let body: [String: Any] = ["model": model, "messages": messages, "stream": streaming, "options": options]
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    private func error(for response: HTTPResponse) -> BackendError {
        let message = JSONObject.parse(response.body)?["error"] as? String
        if response.status == 404, message?.contains("not found") ?? true {
            return BackendError(
                .unknownModel,
                "\(displayName) has no model '\(model)' (\(message ?? "HTTP 404")); pull it with `ollama pull \(model)` or fix the model's reference"
            )
        }
        return BackendError(
            .http(status: response.status),
            "\(displayName) answered HTTP \(response.status): \(message ?? JSONObject.excerpt(response.body))")
    }

    private func readSingle(_ body: Data) throws -> Completion {
        guard let object = JSONObject.parse(body) else {
            throw BackendError(
                .malformedResponse,
                "\(displayName) sent malformed JSON (\(JSONObject.excerpt(body))); check that --host points at an Ollama server")
        }
        if let message = object["error"] as? String {
            throw BackendError(.http(status: 200), "\(displayName) reported an error: \(message)")
        }
        guard let text = (object["message"] as? [String: Any])?["content"] as? String else {
            throw BackendError(.malformedResponse, "\(displayName) sent JSON without message.content (\(JSONObject.excerpt(body)))")
        }
        guard object["done"] as? Bool == true else {
            throw BackendError(.truncatedResponse, "\(displayName) sent an answer that is not marked done; it stopped early")
        }
        return completion(text: text, final: object)
    }

    private func readStream(_ body: Data) throws -> Completion {
        var text = ""
        var lineNumber = 0
        for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            lineNumber += 1
            guard let object = JSONObject.parse(Data(line)) else {
                throw BackendError(
                    .malformedResponse,
                    "\(displayName) sent malformed JSON on streamed line \(lineNumber) (\(JSONObject.excerpt(Data(line)))); check that --host points at an Ollama server"
                )
            }
            if let message = object["error"] as? String {
                throw BackendError(.http(status: 200), "\(displayName) reported an error mid-stream: \(message)")
            }
            text += ((object["message"] as? [String: Any])?["content"] as? String) ?? ""
            if object["done"] as? Bool == true {
                return completion(text: text, final: object)
            }
        }
        throw BackendError(
            .truncatedResponse,
            "\(displayName) ended its streamed answer before the final \"done\": true line (after \(lineNumber) lines); the connection dropped"
        )
    }

    private func completion(text: String, final object: [String: Any]) -> Completion {
        Completion(
            text: text, promptTokens: JSONObject.int(object["prompt_eval_count"]),
            completionTokens: JSONObject.int(object["eval_count"]),
            backendTimings: JSONObject.subset(object, keys: Self.timingKeys))
    }
}
