/// Retries transient backend failures with exponential backoff; anything else, or the last
/// failure, is thrown so that the run stops rather than skipping the item.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var firstDelaySeconds: Double

    public init(attempts: Int = 4, firstDelaySeconds: Double = 0.5) {
        self.attempts = max(1, attempts)
        self.firstDelaySeconds = firstDelaySeconds
    }

    /// Runs `operation`; `onRetry` hears about each retried failure (attempt number, error, delay).
    public func run<Value: Sendable>(
        _ operation: @Sendable () async throws -> Value,
        onRetry: @Sendable (Int, BackendError, Double) -> Void = { _, _, _ in }
    ) async throws -> Value {
        var delay = firstDelaySeconds
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as BackendError where error.isTransient && attempt < attempts {
                onRetry(attempt, error, delay)
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                delay *= 2
                attempt += 1
            }
        }
    }
}
