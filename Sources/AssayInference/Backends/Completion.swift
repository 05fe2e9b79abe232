/// A backend's answer to one request, with what it reported about the work.
public struct Completion: Sendable, Equatable {
    public var text: String
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// JSON object: the backend's own figures, as reported (Ollama's nanosecond durations,
    /// llama.cpp's `timings`, an OpenAI server's `usage`, the embedded engine's timings).
    public var backendTimings: String?
    /// The server that answered, when a fleet of several could have.
    public var endpoint: String?

    public init(
        text: String, promptTokens: Int? = nil, completionTokens: Int? = nil, backendTimings: String? = nil, endpoint: String? = nil
    ) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.backendTimings = backendTimings
        self.endpoint = endpoint
    }
}
