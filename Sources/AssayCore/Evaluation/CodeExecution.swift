/// One generated program's run against its item's tests, as stored with the prediction.
public struct CodeExecution: Codable, Sendable, Equatable {
    /// The completion as the model wrote it.
    public var completion: String
    /// passed, failed, timed_out, output_limit or signal (the sandbox's verdict).
    public var verdict: String
    /// One line on why: the exit status and the last line of standard error, the limit reached, or the signal.
    public var reason: String
    public var exitStatus: Int?
    public var signal: Int?
    public var seconds: Double
    public var stdoutTail: String
    public var stderrTail: String
    /// What isolated the program: namespaces and limits, or limits only when run with --allow-unsandboxed.
    public var isolation: String

    public init(
        completion: String, verdict: String, reason: String, exitStatus: Int?, signal: Int?, seconds: Double, stdoutTail: String,
        stderrTail: String, isolation: String
    ) {
        self.completion = completion
        self.verdict = verdict
        self.reason = reason
        self.exitStatus = exitStatus
        self.signal = signal
        self.seconds = seconds
        self.stdoutTail = stdoutTail
        self.stderrTail = stderrTail
        self.isolation = isolation
    }

    public var passed: Bool { verdict == "passed" }
}
