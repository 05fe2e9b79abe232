import AssaySupport

/// What one sandboxed program may use. A program that reaches the wall-clock, CPU or output limit is stopped;
/// one that asks for more memory or processes than allowed gets an error it may not survive (MemoryError,
/// BlockingIOError). Either way it does not pass.
public struct SandboxLimits: Sendable, Equatable {
    /// From start to end, in seconds.
    public var wallSeconds: Double
    /// CPU time in whole seconds (the kernel's limit has a one-second grain).
    public var cpuSeconds: Int
    /// The program's address space, in bytes.
    public var addressSpaceBytes: Int
    /// Processes and threads at once, the program itself included.
    public var maxProcesses: Int
    /// Standard output and standard error together; also the largest file the program may write.
    public var maxOutputBytes: Int

    public init(
        wallSeconds: Double = 10, cpuSeconds: Int = 10, addressSpaceBytes: Int = 1 << 30, maxProcesses: Int = 32,
        maxOutputBytes: Int = 1 << 20
    ) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.addressSpaceBytes = addressSpaceBytes
        self.maxProcesses = maxProcesses
        self.maxOutputBytes = maxOutputBytes
    }

    /// Throws for a limit that is not positive (or not finite).
    func validate() throws {
        guard wallSeconds.isFinite, wallSeconds > 0 else {
            throw AssayError("the sandbox's wall-clock limit must be a positive number of seconds, not \(wallSeconds)")
        }
        let whole: [(String, Int)] = [
            ("CPU limit (seconds)", cpuSeconds), ("address-space limit (bytes)", addressSpaceBytes),
            ("process limit", maxProcesses), ("output limit (bytes)", maxOutputBytes),
        ]
        for (name, value) in whole where value <= 0 {
            throw AssayError("the sandbox's \(name) must be positive, not \(value)")
        }
    }
}
