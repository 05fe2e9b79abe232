import AssaySupport
import CSandbox
import Foundation

/// Runs generated Python programs (for a code task: the prompt, the model's completion, the tests and
/// `check(entry_point)`), each as `python -I -B program.py` in a fresh directory that is removed afterwards.
///
/// Each program runs in its own user, mount, network and PID namespaces: every mount is read-only except its
/// directory, loopback is down, the program is PID 1 of its namespace (so all it starts dies with it), and it runs
/// as user 65534 of its namespace without capabilities (a root caller's program is also user 65534 outside), under
/// `SandboxLimits`. Making one checks that the interpreter runs in the sandbox; `run` blocks the calling thread for
/// up to the wall-clock limit.
public struct CodeSandbox: Sendable {
    public let limits: SandboxLimits
    public let interpreter: PythonInterpreter
    /// The isolation every run gets: `.rlimitsOnly` only where the kernel refused the namespaces and the caller
    /// allowed running without them.
    public let isolation: SandboxIsolation

    /// How much of the end of each output stream a result keeps.
    public static let tailBytes = 2048

    /// Throws when a limit is not positive, `python` is not a Python 3 interpreter, or a trivial program does not
    /// pass in the sandbox (the kernel refused the namespaces and `allowUnsandboxed` is false, or the sandbox's user
    /// cannot run the interpreter).
    public init(limits: SandboxLimits = SandboxLimits(), python: String = "python3", allowUnsandboxed: Bool = false) throws {
        try limits.validate()
        let interpreter = try PythonInterpreter(locating: python)
        var isolation = SandboxIsolation.namespaces
        var probe = Self.execute(Self.probeProgram, interpreter: interpreter, limits: limits, isolation: isolation)
        if case .failure(let failure) = probe, failure.refusedNamespaces, allowUnsandboxed {
            isolation = .rlimitsOnly
            probe = Self.execute(Self.probeProgram, interpreter: interpreter, limits: limits, isolation: isolation)
        }
        let result = try probe.mapError { $0.error(interpreter: interpreter) }.get()
        guard result.verdict == .passed else {
            throw AssayError(
                "\(interpreter.executable) does not run a trivial program in the code sandbox (\(result.reason)); "
                    + "pass --python with another Python 3 interpreter")
        }
        self.limits = limits
        self.interpreter = interpreter
        self.isolation = isolation
    }

    /// Runs one program to its end or a limit. Throws only when the sandbox could not start it.
    public func run(program: String) throws -> SandboxResult {
        try Self.execute(program, interpreter: interpreter, limits: limits, isolation: isolation)
            .mapError { $0.error(interpreter: interpreter) }.get()
    }

    private static let probeProgram = "import sys\nassert sys.flags.isolated\n"

    private static func execute(
        _ program: String, interpreter: PythonInterpreter, limits: SandboxLimits, isolation: SandboxIsolation
    ) -> Result<SandboxResult, SandboxSetupFailure> {
        let strings = ([interpreter.executable, FileManager.default.temporaryDirectory.path] + interpreter.directories).map { strdup($0) }
        let stdoutTail = UnsafeMutablePointer<CChar>.allocate(capacity: tailBytes)
        let stderrTail = UnsafeMutablePointer<CChar>.allocate(capacity: tailBytes)
        defer {
            for string in strings { free(string) }
            stdoutTail.deallocate()
            stderrTail.deallocate()
        }
        let directories = strings.dropFirst(2).map { UnsafePointer($0) }
        var outcome = sandbox_result()
        let status = program.utf8CString.withUnsafeBufferPointer { text in
            directories.withUnsafeBufferPointer { directoryList in
                var config = sandbox_config(
                    interpreter: strings[0], interpreter_paths: directoryList.baseAddress, interpreter_path_count: directoryList.count,
                    temporary_root: strings[1], program: text.baseAddress, program_length: text.count - 1,
                    isolate: isolation == .namespaces ? 1 : 0, wall_seconds: limits.wallSeconds, cpu_seconds: UInt64(limits.cpuSeconds),
                    address_space_bytes: UInt64(limits.addressSpaceBytes), max_processes: UInt64(limits.maxProcesses),
                    max_output_bytes: UInt64(limits.maxOutputBytes), stdout_tail: stdoutTail, stderr_tail: stderrTail,
                    tail_capacity: tailBytes)
                return sandbox_run(&config, &outcome)
            }
        }
        guard status == 0 else {
            let path = withUnsafeBytes(of: outcome.failed_path) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .failure(
                SandboxSetupFailure(
                    stage: sandbox_stage(rawValue: UInt32(outcome.failed_stage)), errorNumber: outcome.failed_errno, path: path,
                    sandboxUID: outcome.sandbox_uid))
        }
        let stdout = text(UnsafeBufferPointer(start: stdoutTail, count: outcome.stdout_tail_length), streamBytes: outcome.stdout_bytes)
        let stderr = text(UnsafeBufferPointer(start: stderrTail, count: outcome.stderr_tail_length), streamBytes: outcome.stderr_bytes)
        let cpuSeconds = outcome.cpu_measured != 0 ? outcome.cpu_seconds : nil
        let (verdict, reason) = judge(outcome, cpuSeconds: cpuSeconds, stderr: stderr, limits: limits)
        return .success(
            SandboxResult(
                verdict: verdict, reason: reason, exitStatus: outcome.exited != 0 ? outcome.exit_status : nil,
                signal: outcome.signal != 0 ? outcome.signal : nil, wallSeconds: outcome.wall_seconds, cpuSeconds: cpuSeconds,
                stdoutTail: stdout, stderrTail: stderr, stdoutBytes: Int(outcome.stdout_bytes), stderrBytes: Int(outcome.stderr_bytes),
                isolation: isolation))
    }

    private static func judge(
        _ outcome: sandbox_result, cpuSeconds: Double?, stderr: String, limits: SandboxLimits
    ) -> (SandboxVerdict, String) {
        switch sandbox_stop(rawValue: UInt32(outcome.stopped_by)) {
        case SANDBOX_STOP_WALL_CLOCK:
            return (.timedOut, "stopped at the \(String(format: "%g", limits.wallSeconds)) s wall-clock limit")
        case SANDBOX_STOP_OUTPUT:
            return (.outputLimit, "stopped for writing more than \(limits.maxOutputBytes) bytes of output")
        default:
            break
        }
        if outcome.exited != 0 {
            guard outcome.exit_status != 0 else { return (.passed, "exited with status 0") }
            let lastLine = stderr.split(whereSeparator: \.isNewline).last.map { ": \($0.prefix(200))" } ?? ""
            return (.failed, "exited with status \(outcome.exit_status)\(lastLine)")
        }
        // The CPU limit's SIGXCPU is ignored by PID 1, so the kernel's SIGKILL at the hard limit (a second later) ends it.
        if outcome.signal == SIGXCPU || (outcome.signal == SIGKILL && (cpuSeconds ?? 0) >= Double(limits.cpuSeconds)) {
            return (.timedOut, "stopped at the \(limits.cpuSeconds) s CPU-time limit")
        }
        return (.signal, "killed by signal \(outcome.signal) (\(String(cString: strsignal(outcome.signal))))")
    }

    /// The tail as text: when it does not start at the stream's start, a character cut in two there is dropped;
    /// any other invalid UTF-8 becomes U+FFFD.
    private static func text(_ tail: UnsafeBufferPointer<CChar>, streamBytes: UInt64) -> String {
        var bytes = tail.lazy.map { UInt8(bitPattern: $0) }[...]
        if streamBytes > UInt64(tail.count) {
            var dropped = 0
            while dropped < 3, let first = bytes.first, first & 0xC0 == 0x80 {
                bytes = bytes.dropFirst()
                dropped += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
