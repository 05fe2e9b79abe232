import AssayCore

/// One item's prompt as sent to a backend: the messages and every decoding setting.
public struct ChatRequest: Sendable, Equatable {
    public var system: String?
    public var user: String
    /// Text the assistant's answer is made to start with (score mode), or empty.
    public var assistantPrefix: String
    /// Every field filled (`Hyperparameters.resolved`), so that no backend default leaks in.
    public var hyperparameters: Hyperparameters
    /// CPU threads the backend should use, when the user chose a number.
    public var threads: Int?

    public init(system: String?, user: String, assistantPrefix: String = "", hyperparameters: Hyperparameters, threads: Int? = nil) {
        self.system = system
        self.user = user
        self.assistantPrefix = assistantPrefix
        self.hyperparameters = hyperparameters
        self.threads = threads
    }
}
