import AssayTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `assay run` against a real inference server: llama-cpp-python serving SmolLM2 on 127.0.0.1.
///
/// Outside CI these tests skip, saying why, when llama_cpp or the model is missing; under CI=true
/// the missing piece fails them (`LlamaCppServer.isRequired`).
@Suite(.serialized)
struct RunRealServerTests {
    /// Short financial sentences, like the case study's.
    static let sentences: [(String, String)] = [
        ("Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007.", "positive"),
        ("The company's net sales decreased by 12 percent year on year.", "negative"),
        ("The annual general meeting will be held in Helsinki on 15 March.", "neutral"),
        ("Quarterly revenue beat analyst expectations by a wide margin.", "positive"),
        ("The firm announced 300 job cuts after a sharp fall in orders.", "negative"),
        ("The board proposes a dividend of EUR 0.50 per share, unchanged from last year.", "neutral"),
    ]

    static func rows(_ count: Int) -> [(String, String)] {
        (0..<count).map { index in
            let (text, label) = sentences[index % sentences.count]
            return ("\(text) (item \(index + 1))", label)
        }
    }

    /// The real server, or nil (skipping, with the reason) when it cannot run here outside CI.
    static func startServer() throws -> LlamaCppServer? {
        if let reason = LlamaCppServer.unavailableReason {
            if LlamaCppServer.isRequired {
                Issue.record("CI=true but the real llama.cpp server cannot run: \(reason)")
            } else {
                print("skipped: \(reason)")
            }
            return nil
        }
        return try LlamaCppServer()
    }

    /// A study with `items` sentences, the server registered as model "served", and a short task
    /// (a one-line prompt, 16 new tokens) that keeps a request to a second or two on a busy 2-core machine.
    static func study(items: Int, server: LlamaCppServer) throws -> (study: StudyFolder, task: String) {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: rows(items))
        try study.assay(["model", "add", "served", "--openai", server.modelAlias, "--base-url", server.baseURL])
        let task = try study.folder.write(
            "short.yaml",
            """
            name: short-sentiment
            labels: [positive, negative, neutral]
            prompt:
              user: "Sentiment (positive, negative or neutral) of: {text}"
            hyperparameters: {max_tokens: 16}
            """)
        return (study, task)
    }

    /// The stored run's energy constants (the JSON in `run.energy_constants`) and scope.
    static func storedEnergy(_ study: StudyFolder, run: Int64 = 1) throws -> (constants: [String: Any], scope: String?, kwh: Double?) {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: study.database, configuration: configuration)
        let row = try #require(
            try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT energy_constants, energy_scope, energy_kwh FROM run WHERE id = ?", arguments: [run])
            })
        let text: String = try #require(row[0] as String?, "the run stored no energy constants")
        let constants = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (constants, row[1], row[2])
    }

    /// Each of the `items` items has exactly one prediction, all in run 1.
    static func checkEveryItemOnce(_ study: StudyFolder, items: Int) throws {
        let predictions = try study.predictions()
        let itemIDs = predictions.compactMap { $0["item_id"] as? Int }
        #expect(itemIDs.count == items, "one prediction per item")
        #expect(Set(itemIDs) == Set(1...items), "no gap, no duplicate")
        #expect(Set(predictions.compactMap { $0["run_id"] as? Int }) == [1], "the same run was continued")
        for prediction in predictions {
            #expect((prediction["raw_output"] as? String)?.isEmpty == false, "the real model answered")
        }
    }

    @Test(arguments: [1, 4])
    func twentyFourItemsSurviveKillNineAndTheClientWaitsIdly(concurrency: Int) throws {
        guard let server = try Self.startServer() else { return }
        defer { server.stop() }
        let (study, task) = try Self.study(items: 24, server: server)
        let arguments = [
            "--model", "served", "--dataset", "fpb", "--task", task, "--concurrency", String(concurrency), "--meter", "estimate",
        ]

        let storedBeforeKill = try RunResumeTests.killNine(study, arguments, afterPredictions: 1)
        #expect(storedBeforeKill >= 1 && storedBeforeKill < 24, "killed mid-run")

        let second = try study.assay(["run"] + arguments + ["--json"])
        let summary = try study.runSummary(second)
        #expect(summary["resumed"] as? Bool == true)
        #expect(summary["status"] as? String == "completed")
        #expect(summary["stored"] as? Int == 24)
        try Self.checkEveryItemOnce(study, items: 24)

        // The resumed session's own CPU (from /proc/self/stat) over its measured wall time.
        let energy = try Self.storedEnergy(study)
        let clientSeconds = try #require(energy.constants["client_cpu_seconds"] as? Double)
        let wallSeconds = try #require(energy.constants["wall_seconds"] as? Double)
        print(
            "real server, concurrency \(concurrency): assay used \(clientSeconds) s CPU over \(wallSeconds) s measured (\(100 * clientSeconds / wallSeconds) %)"
        )
        #expect(wallSeconds > 1, "the measured part took time")
        #expect(clientSeconds / wallSeconds < 0.02, "assay used \(clientSeconds) s of CPU in \(wallSeconds) s while waiting on the server")
        #expect(energy.scope == "local-server")
        #expect((energy.constants["cpu_time_of"] as? String)?.contains("pid \(server.pid)") == true)
    }

    /// A fleet of three real servers, one killed with SIGKILL once it has answered an item: the
    /// run drops it, finishes on the other two, and stores every item once.
    @Test func aFleetOfThreeRealServersFinishesWhenOneIsKilledMidRun() throws {
        guard let first = try Self.startServer() else { return }
        let servers = [first, try LlamaCppServer(), try LlamaCppServer()]
        defer { for server in servers { server.stop() } }
        let (study, task) = try Self.study(items: 30, server: first)
        try study.assay(["model", "add", "fleet", "--openai", first.modelAlias] + servers.flatMap { ["--base-url", $0.baseURL] })
        let stderrPath = study.folder.path("run-stderr.txt")
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let run = Process()
        run.executableURL = AssayBinary.url
        run.arguments = ["run", "--model", "fleet", "--dataset", "fpb", "--task", task, "--retries", "2", "--db", study.database]
        run.standardOutput = FileHandle.nullDevice
        run.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try run.run()
        let doomed = servers[2]
        while run.isRunning, try !study.predictions().contains(where: { $0["endpoint"] as? String == doomed.baseURL }) {
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(doomed.pid, SIGKILL)
        run.waitUntilExit()
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        #expect(run.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("\(doomed.baseURL) is dropped for the rest of the run"), "\(stderr)")

        try Self.checkEveryItemOnce(study, items: 30)
        var served: [String: Int] = [:]
        for prediction in try study.predictions() { served[prediction["endpoint"] as? String ?? "none", default: 0] += 1 }
        print("fleet of three real servers, the third killed mid-run: \(served)")
        #expect((served[doomed.baseURL] ?? 0) >= 1)
        #expect(served.keys.allSatisfy { url in servers.contains { $0.baseURL == url } })
        #expect(served.values.reduce(0, +) == 30)
    }

    @Test func estimateMeterCountsTheServerProcessCPUTime() throws {
        guard let server = try Self.startServer() else { return }
        defer { server.stop() }
        let (study, task) = try Self.study(items: 12, server: server)
        let run = try RunningAssay([
            "run", "--model", "served", "--dataset", "fpb", "--task", task, "--meter", "estimate", "--json", "--db", study.database,
        ])
        // The warm-up request is not measured: read the server's CPU when Assay says measuring starts.
        try run.waitForStderrLine("measuring")
        let cpuAtStart = try server.cpuSeconds()
        let result = run.wait()
        let cpuAtEnd = try server.cpuSeconds()
        try #require(result.status == 0, "run failed: \(result.stderr)")

        let energy = try Self.storedEnergy(study)
        let stored = try #require(energy.constants["cpu_seconds"] as? Double)
        let expected = cpuAtEnd - cpuAtStart
        print("estimate meter: stored \(stored) s of server CPU, /proc/\(server.pid)/stat says \(expected) s")
        #expect(expected > 0.5, "the server worked")
        // The test reads its start only after Assay has printed "measuring", so the server may already
        // have worked a little inside Assay's window: the stored figure may exceed the test's by that
        // much (up to 0.3 s of a busy server, on a loaded machine), never fall short of it.
        #expect(stored >= 0.95 * expected, "stored \(stored) s, /proc/\(server.pid)/stat says \(expected) s")
        #expect(stored - expected <= 0.05 * expected + 0.3, "stored \(stored) s, /proc/\(server.pid)/stat says \(expected) s")
        let coverage = try #require(energy.constants["cpu_time_of"] as? String)
        #expect(coverage.contains("pid \(server.pid) (") && coverage.contains("listening on port \(server.port)"), "\(coverage)")
        #expect((energy.constants["cpu_time_method"] as? String)?.contains("/proc/PID/stat") == true)
        #expect((energy.constants["provenance"] as? String)?.contains("CPU time of the server's processes") == true)
        #expect(energy.constants["client_cpu_seconds"] is Double)
        #expect(energy.kwh.map { $0 > 0 } == true)

        // --server-pid names the same process directly.
        let named = try study.runSummary(
            try study.assay([
                "run", "--model", "served", "--dataset", "fpb", "--task", task, "--limit", "2",
                "--meter", "estimate", "--server-pid", String(server.pid), "--json",
            ]))
        let namedEnergy = try Self.storedEnergy(study, run: Int64(try #require(named["run_id"] as? Int)))
        #expect((namedEnergy.constants["cpu_time_of"] as? String)?.contains("given with --server-pid: pid \(server.pid)") == true)
    }

    @Test func benchServerPrintsClientAndServerShares() throws {
        guard let server = try Self.startServer() else { return }
        defer { server.stop() }
        let (study, task) = try Self.study(items: 6, server: server)
        let result = try study.assay(["bench", "server", "--model", "served", "--dataset", "fpb", "--task", task, "--limit", "6", "--json"])
        try #require(result.status == 0, "bench failed: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let client = try #require(object["client_cores"] as? Double)
        let serverCores = try #require(object["server_cores"] as? Double)
        #expect(object["requests"] as? Int == 6)
        #expect(serverCores > client, "the server works, the client waits: client \(client), server \(serverCores)")
        #expect((object["server_coverage"] as? String)?.contains("pid \(server.pid)") == true)
    }
}

/// `assay` started in the background with its stderr read line by line as it comes.
final class RunningAssay: @unchecked Sendable {
    private let process = Process()
    private let lock = NSCondition()
    private var stderrText = ""
    private var stdoutData = Data()
    private var stderrClosed = false
    private let readers = DispatchGroup()

    init(_ arguments: [String]) throws {
        process.executableURL = AssayBinary.url
        process.arguments = arguments
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        readers.enter()
        DispatchQueue.global().async { [self] in
            let data = outPipe.fileHandleForReading.readDataToEndOfFile()
            lock.lock()
            stdoutData = data
            lock.unlock()
            readers.leave()
        }
        readers.enter()
        DispatchQueue.global().async { [self] in
            let handle = errPipe.fileHandleForReading
            while true {
                let chunk = handle.availableData
                lock.lock()
                if chunk.isEmpty { stderrClosed = true } else { stderrText += String(decoding: chunk, as: UTF8.self) }
                lock.broadcast()
                lock.unlock()
                if chunk.isEmpty { break }
            }
            readers.leave()
        }
    }

    /// Blocks until stderr has a line equal to `line`; fails if the process ends first.
    func waitForStderrLine(_ line: String) throws {
        lock.lock()
        defer { lock.unlock() }
        while !stderrText.split(separator: "\n").contains(Substring(line)) {
            if stderrClosed { throw LlamaCppServerError(message: "assay ended before printing '\(line)': \(stderrText)") }
            lock.wait()
        }
    }

    func wait() -> AssayBinary.Result {
        process.waitUntilExit()
        readers.wait()
        lock.lock()
        defer { lock.unlock() }
        return AssayBinary.Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: stderrText)
    }
}
