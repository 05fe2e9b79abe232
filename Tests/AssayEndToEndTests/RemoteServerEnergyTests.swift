import AssayTestSupport
import Foundation
import Testing

/// A server on another machine cannot be metered from here: every output says its energy and CO2
/// were not measured, and why, unless the user gives --server-watts. The fake server stands in
/// for the remote one, declared remote with --server-location (as an SSH tunnel would be).
@Suite(.serialized)
struct RemoteServerEnergyTests {
    static let notMeasured = "not measured (remote server)"

    /// Two remote runs (run 1: smol-q8, run 2: smol-q4) and the server that answered them.
    static func remoteStudy(extraRunArguments: [String] = []) throws -> (StudyFolder, FakeLLMServer) {
        let server = try FakeLLMServer()
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(6))
        for name in ["smol-q8", "smol-q4"] {
            try study.assay(["model", "add", name, "--openai", "llamacpp-smollm2", "--base-url", server.openAIBaseURL])
            let run = try study.assay(["run", "--model", name, "--dataset", "fpb", "--server-location", "remote"] + extraRunArguments)
            try #require(run.status == 0, "run failed: \(run.stderr)")
        }
        return (study, server)
    }

    @Test func runAndMetricsSayNotMeasured() throws {
        let (study, server) = try Self.remoteStudy()
        defer { server.stop() }
        let summary = try study.runSummary(
            try study.assay([
                "run", "--model", "smol-q8", "--dataset", "fpb", "--limit", "2",
                "--server-location", "remote", "--json",
            ]))
        #expect(summary["energy_kwh"] == nil || summary["energy_kwh"] is NSNull)
        #expect(summary["energy_label"] as? String == Self.notMeasured)
        #expect(summary["energy_scope"] as? String == "remote-server")
        let text = try study.assay(["run", "--model", "smol-q8", "--dataset", "fpb", "--limit", "3", "--server-location", "remote"])
        #expect(text.stdout.contains("energy and CO2 \(Self.notMeasured)"), "\(text.stdout)")

        let metrics = try study.assay(["metrics", "--run", "1"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        #expect(metrics.stdout.contains("energy    \(Self.notMeasured)"), "\(metrics.stdout)")
        #expect(metrics.stdout.contains("CO2e      \(Self.notMeasured)"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try study.assay(["metrics", "--run", "1", "--format", "json"]).stdout.utf8)))
        let view = try #require(((json as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        #expect(view["energy_not_measured"] as? String == Self.notMeasured)
        #expect(view["energy_scope"] as? String == "remote-server")
        let csv = try study.assay(["metrics", "--run", "1", "--format", "csv"]).stdout
        #expect(csv.contains(Self.notMeasured))
    }

    @Test func compareSaysNotMeasuredInEveryFormat() throws {
        let (study, server) = try Self.remoteStudy()
        defer { server.stop() }
        let table = try study.assay(["compare", "1", "2"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("energy: before \(Self.notMeasured), after \(Self.notMeasured)"), "\(table.stdout)")
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("CO2e g ") && $0.contains("not measured") })
        let latex = try study.assay(["compare", "1", "2", "--format", "latex"]).stdout
        #expect(latex.contains("CO2e g & n/m & n/m"), "\(latex)")
        #expect(latex.contains("% n/m: before \(Self.notMeasured), after \(Self.notMeasured)"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try study.assay(["compare", "1", "2", "--format", "json"]).stdout.utf8))
                as? [String: Any])
        #expect((json["energy_not_measured"] as? [String: String])?["before"] == Self.notMeasured)
    }

    @Test(arguments: ["latex", "markdown", "csv", "json"])
    func exportTableSaysNotMeasured(format: String) throws {
        let (study, server) = try Self.remoteStudy()
        defer { server.stop() }
        let result = try study.assay(["export", "table", "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        switch format {
        case "json":
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let rows = try #require((object["groups"] as? [[String: Any]])?.flatMap { $0["rows"] as? [[String: Any]] ?? [] })
            #expect(rows.count == 2 && rows.allSatisfy { $0["energy"] as? String == Self.notMeasured })
        case "csv":
            let lines = result.stdout.split(whereSeparator: \.isNewline).dropFirst()
            #expect(lines.count == 2 && lines.allSatisfy { $0.contains(",\(Self.notMeasured),") }, "\(result.stdout)")
        default:
            #expect(result.stdout.contains("& n/m & n/m &") || result.stdout.contains("| n/m | n/m |"), "\(result.stdout)")
            let co2 = format == "latex" ? "CO\\textsubscript{2}" : "CO2"
            #expect(result.stdout.contains("n/m: energy and \(co2) \(Self.notMeasured) (runs 1, 2)"), "\(result.stdout)")
        }
    }

    @Test func reportSaysNotMeasured() throws {
        let (study, server) = try Self.remoteStudy()
        defer { server.stop() }
        let out = study.folder.path("report.html")
        let result = try study.assay(["report", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("n/m: energy and CO2 \(Self.notMeasured) (runs 1, 2)"))
        #expect(html.contains("run 1, \(Self.notMeasured)"))
    }

    @Test func serverWattsGivesAStoredLabelledEstimate() throws {
        let (study, server) = try Self.remoteStudy(extraRunArguments: ["--server-watts", "250"])
        defer { server.stop() }
        let metrics = try study.assay(["metrics", "--run", "1"])
        #expect(metrics.stdout.contains("estimated from --server-watts, remote server"), "\(metrics.stdout)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try study.assay(["metrics", "--run", "1", "--format", "json"]).stdout.utf8)))
        let view = try #require(((json as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        let energy = try #require(view["energy"] as? [String: Any])
        #expect(energy["method"] as? String == "server-watts")
        let constants = try #require(energy["constants"] as? [String: Any])
        let watts = try #require(constants["server_watts"] as? Double)
        let busy = try #require(constants["server_busy_seconds"] as? Double)
        let wall = try #require(constants["wall_seconds"] as? Double)
        let kwh = try #require(energy["kwh"] as? Double)
        #expect(watts == 250)
        #expect(busy > 0 && busy <= wall)
        #expect(abs(kwh * 3_600_000 - watts * busy) < 1e-9 * max(1, watts * busy))
        #expect((constants["provenance"] as? String)?.contains("--server-watts 250.0 W") == true)
        #expect(view["co2"] is [String: Any])
        let table = try study.assay(["export", "table", "--format", "markdown"]).stdout
        #expect(table.contains("Energy estimated from --server-watts, remote server"), "\(table)")
    }

    @Test func aMeterOfThisMachineIsRefusedForARemoteServer() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(2))
        try study.assay(["model", "add", "far", "--openai", "llamacpp-smollm2", "--base-url", server.openAIBaseURL])
        let result = try study.assay(["run", "--model", "far", "--dataset", "fpb", "--server-location", "remote", "--meter", "rapl"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--meter rapl measures this machine, but"), "\(result.stderr)")
        #expect(try study.predictions().isEmpty)
    }
}
