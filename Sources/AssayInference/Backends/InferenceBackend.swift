import AssayEngine

/// Something that answers chat requests: the embedded engine, an Ollama server, or an
/// OpenAI-compatible server.
public protocol InferenceBackend: Sendable {
    /// How the backend names itself in messages ("Ollama at http://127.0.0.1:11434").
    var displayName: String { get }
    /// Whether several requests may be in flight at once (servers); the embedded engine runs one at a time.
    var allowsConcurrentRequests: Bool { get }
    /// Requests the backend evaluates together when that many are in flight (the embedded
    /// engine's batch); nil where the run's --concurrency decides.
    var requestsEvaluatedTogether: Int? { get }
    func complete(_ request: ChatRequest) async throws -> Completion
    /// Sends `request` to every server that has not answered yet (a fleet's others), so that no
    /// server loads its model inside the measured part of a run; nothing for one server or the engine.
    func warmUpIdleServers(with request: ChatRequest) async throws
}

extension InferenceBackend {
    public var requestsEvaluatedTogether: Int? { nil }
    public func warmUpIdleServers(with request: ChatRequest) async throws {}
}

/// A backend that can also score label continuations (for `--mode score`).
public protocol LabelScoringBackend: InferenceBackend {
    /// The log-probability of each continuation after the prompt and `request.assistantPrefix`,
    /// with the tokens evaluated for them.
    func logProbabilities(of continuations: [String], after request: ChatRequest) async throws -> ContinuationScores
}
