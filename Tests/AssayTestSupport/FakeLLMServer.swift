import Foundation

/// Tests/Fixtures/fake_llm_server.py running on 127.0.0.1: answers in Ollama's and OpenAI's
/// wire formats and reproduces their failures (see the script's docstring). Stopped by `stop()`
/// or when the value is released.
public final class FakeLLMServer: @unchecked Sendable {
    public let port: Int
    /// Every request the server received, one JSON object per line, when `logging` was on.
    public let logPath: String?
    private let process: Process

    /// Starts the server; `delay` seconds are slept before every answer, and after `failAfter`
    /// answers every request gets HTTP 503.
    public init(delay: Double = 0, logging: Bool = false, failAfter: Int? = nil) throws {
        let script = SharedFiles.projectFile("Tests/Fixtures/fake_llm_server.py").path
        logPath =
            logging
            ? FileManager.default.temporaryDirectory.appendingPathComponent("fake-llm-\(UUID().uuidString.prefix(8)).jsonl").path : nil
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", script, "--delay", String(delay)] + (logPath.map { ["--log", $0] } ?? [])
            + (failAfter.map { ["--fail-after", String($0)] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while line.last != UInt8(ascii: "\n") {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw FakeServerError(message: "fake_llm_server.py did not start (printed '\(text)'); is python3 installed?")
        }
        self.port = port
    }

    public var ollamaURL: String { "http://127.0.0.1:\(port)" }
    public var openAIBaseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// The JSON bodies the server received, in order.
    public func receivedRequests() throws -> [[String: Any]] {
        guard let logPath, let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] ?? [:]
        }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if let logPath { try? FileManager.default.removeItem(atPath: logPath) }
    }

    deinit { stop() }
}

public struct FakeServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
