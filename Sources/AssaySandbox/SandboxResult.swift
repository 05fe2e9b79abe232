/// How one program ran in the sandbox.
public struct SandboxResult: Sendable, Equatable {
    public let verdict: SandboxVerdict
    /// One line on why: the exit status and the last line of standard error, the limit reached, or the signal.
    public let reason: String
    /// The exit status, when the program exited (rather than being killed).
    public let exitStatus: Int32?
    /// The signal that killed the program, when one did.
    public let signal: Int32?
    public let wallSeconds: Double
    /// User plus system time of the program and its descendants; nil when the program was killed along with
    /// the process that measures it.
    public let cpuSeconds: Double?
    /// The last `CodeSandbox.tailBytes` bytes of each stream as text (a character cut in two at the start is dropped).
    public let stdoutTail: String
    public let stderrTail: String
    /// The bytes written to each stream in all (as far as they were read before the program was stopped).
    public let stdoutBytes: Int
    public let stderrBytes: Int
    public let isolation: SandboxIsolation
}
