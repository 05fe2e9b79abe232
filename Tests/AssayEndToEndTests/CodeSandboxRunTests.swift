import AssayTestSupport
import Foundation
import Testing

/// A code run whose model writes hostile programs: each is stopped inside the sandbox, stored with
/// its verdict and reason, and the run goes on to the next item.
@Suite(.serialized)
struct CodeSandboxRunTests {
    @Test func hostileProgramsAreStoppedAndReportedAndTheRunGoesOn() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        // A listener of the test's own: without the sandbox, the connecting program would reach it.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var bound = address
        let bindResult = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bindResult == 0 && listen(listener, 4) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: bound.sin_port))
        let outside = study.folder.path("written-from-the-sandbox.txt")

        let programs: [(String, String)] = [
            ("loop", "def solve():\n    while True:\n        pass"),
            ("fork_bomb", "import os\ndef solve():\n    while True:\n        os.fork()"),
            ("allocation", "def solve():\n    block = bytearray(10 * 1024 ** 3)\n    return len(block)"),
            (
                "socket",
                "import socket\ndef solve():\n    connection = socket.create_connection(('127.0.0.1', \(port)), timeout=2)\n    connection.sendall(b'escaped')\n    return 1"
            ),
            ("write", "def solve():\n    with open('\(outside)', 'w') as file:\n        file.write('escaped')\n    return 1"),
            ("correct", "def solve():\n    return 1"),
        ]
        try study.importCodeProblems(programs.map { ($0.0, [$0.1]) }, name: "hostile")
        let task = try study.folder.write(
            "code.yaml",
            """
            name: hostile-code
            kind: code
            prompt:
              user: "Complete:\\n```python\\n{text}```"
            code: {samples: 1, k: [1], timeout_seconds: 3, memory_mb: 512}
            hyperparameters: {max_tokens: 64, temperature: 0, batch_size: 1}
            """)
        try study.assay(["model", "add", "server", "--openai", "coder", "--base-url", server.openAIBaseURL])
        let summary = try study.runSummary(try study.assay(["run", "--model", "server", "--dataset", "hostile", "--task", task, "--json"]))
        #expect(summary["status"] as? String == "completed")
        let predictions = try study.predictions()
        #expect(predictions.count == programs.count)
        var verdicts: [String: String] = [:]
        for prediction in predictions {
            let sample = try #require(((prediction["outcome"] as? [String: Any])?["samples"] as? [[String: Any]])?.first)
            let name = try #require(
                programs.first { (prediction["text"] as? String ?? "").contains(Data($0.1.utf8).base64EncodedString()) }?.0)
            verdicts[name] = sample["verdict"] as? String
            #expect(!(sample["reason"] as? String ?? "").isEmpty, "\(name) has no reason")
            #expect(sample["isolation"] as? String == "namespaces+rlimits")
        }
        #expect(verdicts["loop"] == "timed_out")
        #expect(verdicts["correct"] == "passed")
        for name in ["fork_bomb", "allocation", "socket", "write"] {
            #expect(verdicts[name] != nil && verdicts[name] != "passed", "\(name): \(verdicts[name] ?? "none")")
        }
        #expect(!FileManager.default.fileExists(atPath: outside))
        // Nothing connected to the listener: a non-blocking accept finds no one waiting.
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
        #expect(accept(listener, nil, nil) == -1)
        let quality = try #require((try study.metricsView(run: 1)["quality"] as? [[String: Any]])?.first)
        #expect(quality["metric"] as? String == "pass@1")
        #expect(abs((quality["value"] as? Double ?? 0) - 1.0 / 6.0) < 1e-12)
    }
}

/// pass@k from several samples per problem: each sample is drawn with its own seed, run in the
/// sandbox, and the problem's pass@k is HumanEval's estimator over them.
@Suite(.serialized)
struct CodeSamplesRunTests {
    @Test func passAtKIsEstimatedFromEverySampleOfEachProblem() throws {
        let server = try FakeLLMServer(logging: true)
        defer { server.stop() }
        let study = try StudyFolder()
        let (right, wrong) = ("def solve():\n    return 1", "def solve():\n    return 2")
        // Seeds 7, 8, 9, 10 draw programs seed % 4 from each list: problem one passes 1 sample of 4, problem two 3 of 4.
        try study.importCodeProblems([("p0", [wrong, wrong, wrong, right]), ("p1", [right, right, wrong, right])], name: "problems")
        let task = try study.folder.write(
            "code.yaml",
            """
            name: sampled-code
            kind: code
            prompt:
              user: "{text}"
            code: {samples: 4, k: [1, 2, 4]}
            hyperparameters: {max_tokens: 64, temperature: 0.8, seed: 7}
            """)
        try study.assay(["model", "add", "server", "--openai", "coder", "--base-url", server.openAIBaseURL])
        _ = try study.runSummary(try study.assay(["run", "--model", "server", "--dataset", "problems", "--task", task, "--json"]))
        // Four requests per problem (after the warm-up), with seeds 7 to 10.
        let seeds = try server.receivedRequests().compactMap { ($0["body"] as? [String: Any])?["seed"] as? Int }
        #expect(Array(seeds.suffix(8)) == [7, 8, 9, 10, 7, 8, 9, 10])
        let predictions = try study.predictions()
        let expected: [[String: Double]] = [
            ["pass@1": 0.25, "pass@2": 0.5, "pass@4": 1], ["pass@1": 0.75, "pass@2": 1, "pass@4": 1],
        ]
        for (prediction, figures) in zip(predictions, expected) {
            let outcome = try #require(prediction["outcome"] as? [String: Any])
            let scores = try #require(outcome["scores"] as? [String: Double])
            for (key, value) in figures { #expect(abs((scores[key] ?? -1) - value) < 1e-12, "\(key): \(scores)") }
            #expect((outcome["samples"] as? [[String: Any]])?.count == 4)
        }
        let quality = try #require(try study.metricsView(run: 1)["quality"] as? [[String: Any]])
        #expect(quality.map { $0["metric"] as? String } == ["pass@1", "pass@2", "pass@4"])
        #expect(quality.map { $0["value"] as? Double } == [0.5, 0.75, 1])
    }
}
