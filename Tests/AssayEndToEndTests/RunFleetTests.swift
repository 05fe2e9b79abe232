import AssayTestSupport
import Foundation
import Testing

/// `assay run` over a fleet: one model served by three servers on 127.0.0.1, one of which starts
/// failing mid-run.
@Suite(.serialized)
struct RunFleetTests {
    /// Three fake OpenAI-compatible servers; the last answers `failAfter` requests, then only HTTP 503.
    static func servers(failAfter: Int?) throws -> [FakeLLMServer] {
        [try FakeLLMServer(delay: 0.02), try FakeLLMServer(delay: 0.02), try FakeLLMServer(delay: 0.02, failAfter: failAfter)]
    }

    static func addFleet(_ servers: [FakeLLMServer], to study: StudyFolder, concurrency: [Int] = [2, 2, 2]) throws {
        let result = try study.assay(
            ["model", "add", "fleet", "--openai", "llamacpp-smol"] + servers.flatMap { ["--base-url", $0.openAIBaseURL] }
                + concurrency.flatMap { ["--endpoint-concurrency", String($0)] })
        try #require(result.status == 0, "model add failed: \(result.stderr)")
    }

    @Test func everyItemIsStoredOnceWhenOneServerStartsFailingMidRun() throws {
        let servers = try Self.servers(failAfter: 4)
        defer { for server in servers { server.stop() } }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(36))
        try Self.addFleet(servers, to: study)
        let run = try study.assay(["run", "--model", "fleet", "--dataset", "fpb", "--retries", "2", "--meter", "estimate", "--json"])
        let summary = try study.runSummary(run)
        #expect(summary["status"] as? String == "completed")
        #expect(summary["stored"] as? Int == 36)
        #expect(summary["batch_size"] as? Int == 6, "every server's slots together")

        let failing = servers[2].openAIBaseURL
        #expect(run.stderr.contains("\(failing) is dropped for the rest of the run: 2 requests in a row failed"), "\(run.stderr)")
        #expect(run.stderr.contains("HTTP 503"))

        let predictions = try study.predictions()
        #expect(predictions.count == 36)
        #expect(Set(predictions.compactMap { $0["item_id"] as? Int }).count == 36)
        #expect(predictions.allSatisfy { $0["label"] as? String == $0["gold_label"] as? String })
        var served: [String: Int] = [:]
        for prediction in predictions { served[prediction["endpoint"] as? String ?? "none", default: 0] += 1 }
        // Its first four requests were its warm-up and three items.
        #expect(served[failing] == 3, "the failing server answered its first four requests only: \(served)")
        #expect(served[servers[0].openAIBaseURL, default: 0] + served[servers[1].openAIBaseURL, default: 0] == 33)

        // The summary's per-server figures, in the model's order, agree with the stored rows.
        let endpoints = try #require(summary["endpoints"] as? [[String: Any]])
        #expect(endpoints.compactMap { $0["endpoint"] as? String } == servers.map(\.openAIBaseURL))
        #expect(endpoints.map { $0["dropped_because"] as? String == nil } == [true, true, false])
        #expect((endpoints[2]["dropped_because"] as? String)?.contains("2 requests in a row failed") == true)
        for endpoint in endpoints {
            let url = try #require(endpoint["endpoint"] as? String)
            #expect(endpoint["predictions"] as? Int == served[url], "\(url)")
            #expect((endpoint["request_seconds"] as? Double ?? 0) > 0)
        }
        // Local servers, measured by the estimate meter: the servers' shares add up to the run's energy.
        let runEnergy = try #require(summary["energy_kwh"] as? Double)
        let shares = endpoints.compactMap { $0["energy_kwh"] as? Double }
        #expect(shares.count == 3)
        #expect(abs(shares.reduce(0, +) - runEnergy) <= 1e-9 * runEnergy)
        // The estimate counted every server's processes, found from each one's port.
        let metrics = try study.assay(["metrics", "--run", "1"])
        #expect(
            metrics.stdout.contains("listening on ports \(servers.map { String($0.port) }.joined(separator: ", "))"), "\(metrics.stdout)")
    }

    @Test func theTextSummaryGivesEachServersPartAndSaysARemoteFleetIsNotMeasured() throws {
        let servers = [try FakeLLMServer(logging: true), try FakeLLMServer(logging: true), try FakeLLMServer(logging: true)]
        defer { for server in servers { server.stop() } }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(12))
        try Self.addFleet(servers, to: study, concurrency: [1, 1, 1])
        let run = try study.assay(["run", "--model", "fleet", "--dataset", "fpb", "--server-location", "remote"])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("12/12 items stored"))
        for server in servers {
            let line = try #require(
                run.stdout.split(separator: "\n").first { $0.contains(server.openAIBaseURL) }, "no line for \(server.openAIBaseURL)")
            #expect(line.contains("s of requests, energy not measured (remote server)"), "\(line)")
        }
        // Every server had one warm-up request, outside the measured part, besides the items it answered.
        var served: [String: Int] = [:]
        for prediction in try study.predictions() { served[prediction["endpoint"] as? String ?? "none", default: 0] += 1 }
        for server in servers {
            #expect(try server.receivedRequests().count == served[server.openAIBaseURL, default: 0] + 1, "\(server.openAIBaseURL)")
        }
        let list = try study.assay(["model", "list", "--json"])
        #expect(list.stdout.contains(servers[2].openAIBaseURL))
        let table = try study.assay(["model", "list"])
        #expect(table.stdout.contains("3 servers: \(servers[0].openAIBaseURL), ..."), "\(table.stdout)")
    }

    @Test func aServerThatFailsItsWarmUpIsDroppedBeforeMeasuringAndListedWithNoPrediction() throws {
        let servers = [try FakeLLMServer(), try FakeLLMServer(failAfter: 0)]
        defer { for server in servers { server.stop() } }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(6))
        let add = try study.assay(["model", "add", "fleet", "--openai", "smol"] + servers.flatMap { ["--base-url", $0.openAIBaseURL] })
        try #require(add.status == 0, "\(add.stderr)")
        let run = try study.assay(["run", "--model", "fleet", "--dataset", "fpb", "--retries", "1"])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("6/6 items stored"))
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains(servers[1].openAIBaseURL) }, "\(run.stdout)")
        #expect(line.contains("0 predictions"), "\(line)")
        #expect(line.contains("dropped in this session (its warm-up request failed"), "\(line)")
    }

    @Test func aRunWhoseEveryServerFailsStopsWithTheReasonsAndKeepsWhatItStored() throws {
        let servers = [try FakeLLMServer(failAfter: 3), try FakeLLMServer(failAfter: 3)]
        defer { for server in servers { server.stop() } }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(10))
        let add = try study.assay(
            ["model", "add", "fleet", "--openai", "smol"] + servers.flatMap { ["--base-url", $0.openAIBaseURL] })
        try #require(add.status == 0, "\(add.stderr)")
        let run = try study.assay(["run", "--model", "fleet", "--dataset", "fpb", "--retries", "1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("every server of the fleet was dropped"), "\(run.stderr)")
        #expect(run.stderr.contains("run the same command again to continue it"))
        // Each server's warm-up took one of its three answers; the four others were committed before the run stopped.
        #expect(try study.predictions().count == 4)
    }

    @Test func benchServerKeepsEveryServersSlotsBusyAndCountsEveryServersCPU() throws {
        let servers = try Self.servers(failAfter: nil)
        defer { for server in servers { server.stop() } }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(12))
        try Self.addFleet(servers, to: study, concurrency: [2, 1, 1])
        let result = try study.assay(["bench", "server", "--model", "fleet", "--dataset", "fpb", "--limit", "12", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["requests"] as? Int == 12)
        #expect(report["concurrency"] as? Int == 4)
        let coverage = try #require(report["server_coverage"] as? String)
        #expect(coverage.contains("listening on ports \(servers.map { String($0.port) }.joined(separator: ", "))"), "\(coverage)")
    }

    @Test func modelAddChecksTheFleetsServers() throws {
        let study = try StudyFolder()
        let mismatched = try study.assay([
            "model", "add", "f", "--openai", "m", "--base-url", "http://127.0.0.1:1/v1", "--base-url", "http://127.0.0.1:2/v1",
            "--endpoint-concurrency", "2",
        ])
        #expect(mismatched.status != 0)
        #expect(mismatched.stderr.contains("give --endpoint-concurrency once per server URL (2 given, 1 concurrencies)"))
        let twice = try study.assay([
            "model", "add", "f", "--ollama", "m", "--host", "http://127.0.0.1:1", "--host", "http://127.0.0.1:1",
        ])
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("server http://127.0.0.1:1 is given twice"))
        let bad = try study.assay(["model", "add", "f", "--ollama", "m", "--host", "http://127.0.0.1:1", "--host", "ftp://x"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--host 'ftp://x' is not an http(s) URL"))
        let single = try study.assay(["model", "add", "f", "--ollama", "m", "--endpoint-concurrency", "2"])
        #expect(single.status != 0)
        #expect(single.stderr.contains("--endpoint-concurrency is for a fleet"))
    }
}
