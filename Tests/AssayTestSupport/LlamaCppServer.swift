import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A real inference server for the tests: PyPI's llama-cpp-python (`python3 -m llama_cpp.server`)
/// serving the SmolLM2 GGUF from Assay's model cache on 127.0.0.1, on a free port.
///
/// `start()` returns nil, with the reason in `unavailableReason`, when llama_cpp or the model is
/// missing outside CI; under CI=true a missing piece is an error, so CI can never pass by skipping.
/// The server is killed by `stop()` or when the value is released.
public final class LlamaCppServer: @unchecked Sendable {
    public let port: Int
    public let pid: Int32
    /// The name the server answers to in requests (`--model_alias`).
    public let modelAlias = "smollm2-llamacpp"
    private let process: Process
    private let logPath: String

    /// Why the real server cannot run here (llama_cpp or the model missing), or nil when it can.
    public static var unavailableReason: String? {
        guard SharedFiles.smolLM2 != nil else {
            return "the SmolLM2 model is not in the cache; run `assay model fetch smollm2-135m` (CI does)"
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import llama_cpp.server"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        do {
            try check.run()
            check.waitUntilExit()
        } catch {
            return "python3 cannot be started (\(error))"
        }
        return check.terminationStatus == 0
            ? nil
            : "llama-cpp-python is not installed; pip install 'llama-cpp-python[server]==0.3.36' (.ci/run does)"
    }

    /// Under CI a missing server is a failure, never a skip.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Starts the server (`threads`: its --n_threads; one thread avoids llama.cpp's spinning
    /// thread barriers on a machine shared with builds) and waits until it answers.
    public init(threads: Int = 1) throws {
        guard let model = SharedFiles.smolLM2 else {
            throw LlamaCppServerError(message: Self.unavailableReason ?? "no model")
        }
        port = try Self.freePort()
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("llama-cpp-server-\(port).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-m", "llama_cpp.server", "--model", model.path, "--model_alias", modelAlias,
            "--host", "127.0.0.1", "--port", String(port), "--n_threads", String(threads), "--n_ctx", "2048",
        ]
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        pid = process.processIdentifier
        try waitUntilServing()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// What the server printed, for failure messages.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The server's CPU seconds so far (user + system, /proc/PID/stat).
    public func cpuSeconds() throws -> Double {
        try ProcStat.cpuSeconds(pid: pid)
    }

    public func stop() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    deinit { stop() }

    private func waitUntilServing() throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            guard process.isRunning else {
                throw LlamaCppServerError(message: "llama_cpp.server exited at start: \(log.suffix(2000))")
            }
            if Self.answers(URL(string: "\(baseURL)/models")!) { return }
            usleep(200_000)
        }
        stop()
        throw LlamaCppServerError(message: "llama_cpp.server did not answer within 120 s: \(log.suffix(2000))")
    }

    /// Whether a GET is answered with 200 (a blocking socket request; the tests are not timed).
    private static func answers(_ url: URL) -> Bool {
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var ok = false }
        let box = Box()
        let task = URLSession.shared.dataTask(with: url) { _, response, _ in
            box.ok = (response as? HTTPURLResponse)?.statusCode == 200
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + 5) == .timedOut { task.cancel() }
        return box.ok
    }

    /// A port nobody listens on now: bind 127.0.0.1:0 and read what the kernel chose.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw LlamaCppServerError(message: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else { throw LlamaCppServerError(message: "cannot bind 127.0.0.1:0") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// /proc/PID/stat read the way the tests check Assay's own figures against.
public enum ProcStat {
    /// utime + stime of `pid`, in seconds.
    public static func cpuSeconds(pid: Int32) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = text.lastIndex(of: ")") else { throw LlamaCppServerError(message: "unreadable /proc/\(pid)/stat") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw LlamaCppServerError(message: "unreadable /proc/\(pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

public struct LlamaCppServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
