/// How a sandboxed program ended. The raw values are for storage.
public enum SandboxVerdict: String, Sendable, CaseIterable {
    /// Exited with status 0: every assertion held.
    case passed
    /// Exited with another status: a failed assertion, or an exception (MemoryError, a refused fork or
    /// connection, a write to a read-only file system).
    case failed
    /// Stopped at the wall-clock or the CPU limit.
    case timedOut = "timed_out"
    /// Stopped for writing more than its output limit.
    case outputLimit = "output_limit"
    /// Killed by a signal it raised or met (a crash such as SIGSEGV).
    case signal
}
