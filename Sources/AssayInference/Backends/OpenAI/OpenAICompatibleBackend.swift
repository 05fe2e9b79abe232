import AssayCore
import Foundation

/// An OpenAI-compatible `/chat/completions` endpoint (llama.cpp server, vLLM, LM Studio, OpenAI).
/// Keeps the `usage` object and, from llama.cpp, its `timings`.
public struct OpenAICompatibleBackend: InferenceBackend {
    /// The API root, such as http://127.0.0.1:8080/v1; requests go to its `chat/completions`.
    public let baseURL: URL
    public let model: String
    let transport: HTTPTransport

    public init(baseURL: URL, model: String, apiKey: String?, timeoutSeconds: Double) {
        self.baseURL = baseURL
        self.model = model
        transport = HTTPTransport(idleTimeout: timeoutSeconds, headers: apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    public var displayName: String { "the server at \(baseURL.absoluteString)" }
    public var allowsConcurrentRequests: Bool { true }

    public func complete(_ request: ChatRequest) async throws -> Completion {
        let url = baseURL.appendingPathComponent("chat/completions")
        let response = try await transport.postJSON(try body(for: request), to: url, server: displayName)
        guard response.status == 200 else { throw error(for: response) }
        guard let object = JSONObject.parse(response.body) else {
            let kind: BackendError.Kind = response.body.isEmpty ? .truncatedResponse : .malformedResponse
            throw BackendError(
                kind,
                kind == .truncatedResponse
                    ? "\(displayName) closed the connection with an empty answer"
                    : "\(displayName) sent malformed JSON (\(JSONObject.excerpt(response.body))); check that --base-url points at an OpenAI-compatible API root such as http://127.0.0.1:8080/v1"
            )
        }
        guard let choices = object["choices"] as? [[String: Any]], let first = choices.first,
            let text = (first["message"] as? [String: Any])?["content"] as? String
        else {
            throw BackendError(
                .malformedResponse, "\(displayName) sent JSON without choices[0].message.content (\(JSONObject.excerpt(response.body)))")
        }
        let usage = object["usage"] as? [String: Any]
        let timings = object["timings"] as? [String: Any]
        return Completion(
            text: text,
            promptTokens: JSONObject.int(usage?["prompt_tokens"]) ?? JSONObject.int(timings?["prompt_n"]),
            completionTokens: JSONObject.int(usage?["completion_tokens"]) ?? JSONObject.int(timings?["predicted_n"]),
            backendTimings: JSONObject.subset(object, keys: ["usage", "timings"]))
    }

    func body(for request: ChatRequest) throws -> Data {
        let settings = request.hyperparameters
        var messages: [[String: String]] = []
        if let system = request.system { messages.append(["role": "system", "content": system]) }
        messages.append(["role": "user", "content": request.user])
        if !request.assistantPrefix.isEmpty { messages.append(["role": "assistant", "content": request.assistantPrefix]) }
        var body: [String: Any] = [
            "model": model, "messages": messages, "stream": false,
            "temperature": settings.temperature ?? 0, "top_p": settings.topP ?? 1,
            "max_tokens": settings.maxTokens ?? 96, "seed": settings.seed ?? 0,
        ]
        // top_k is an extension (llama.cpp, vLLM); OpenAI itself rejects it, so it is sent only when set.
        if let topK = settings.topK, topK > 0 { body["top_k"] = topK }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    private func error(for response: HTTPResponse) -> BackendError {
        let object = JSONObject.parse(response.body)
        let message = (object?["error"] as? [String: Any])?["message"] as? String ?? object?["error"] as? String
        if response.status == 404 {
            return BackendError(
                .unknownModel,
                "\(displayName) has no model '\(model)' (\(message ?? "HTTP 404")); check the served model name and --base-url")
        }
        return BackendError(
            .http(status: response.status),
            "\(displayName) answered HTTP \(response.status): \(message ?? JSONObject.excerpt(response.body))")
    }
}
