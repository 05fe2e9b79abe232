import AssayTestSupport
import Foundation
import Testing

/// `assay factors` and `--region` through the built binary.
@Suite(.serialized)
struct FactorsCommandTests {
    @Test func jsonListsEveryRegionWithItsSourceAndYear() throws {
        let result = try AssayBinary.run(["factors", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let regions = try #require(listing["regions"] as? [[String: Any]])
        #expect(regions.count >= 250)
        #expect(listing["count"] as? Int == regions.count)
        for region in regions {
            #expect(!(region["source"] as? String ?? "").isEmpty, "\(region)")
            #expect((region["year"] as? Int ?? 0) >= 2009, "\(region)")
            #expect(!(region["kind"] as? String ?? "").isEmpty && (region["grams_per_kwh"] as? Double ?? -1) >= 0, "\(region)")
        }
        let codes = Set(regions.compactMap { $0["code"] as? String })
        #expect(codes.isSuperset(of: ["US", "US-CA", "CA-ON", "GB", "JP", "WORLD", "US-WV", "CA-QC"]))
    }

    @Test func oneRegionByNameShowsItsFullSource() throws {
        let result = try AssayBinary.run(["factors", "ca on"])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("CA-ON  Ontario, Canada\n93.072 gCO2e/kWh, 2023, mix x lifecycle factors\n"))
        #expect(result.stdout.contains("Source: Provincial generation mix by source in CodeCarbon 3.3.2"))
        let japan = try AssayBinary.run(["factors", "--json", "Japan"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(japan.stdout.utf8)) as? [String: Any])
        #expect(object["code"] as? String == "JP" && object["grams_per_kwh"] as? Double == 485.392)
        #expect(object["other_names"] as? [String] == ["JPN", "Japan"])
    }

    @Test func theTableListsSourcesOnce() throws {
        let result = try AssayBinary.run(["factors"])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\nUS-CA  179.1"))
        #expect(result.stdout.contains("278 regions. Sources:\n"))
        #expect(result.stdout.contains("- US EPA eGRID2023: state annual CO2-equivalent total output emission rate"))
        #expect(
            result.stdout.contains("(51 regions)\n") && result.stdout.contains("(13 regions)\n")
                && result.stdout.contains("(213 regions)\n"))
    }

    @Test func anUnknownRegionFailsInOneLineWithTheNearestCodes() throws {
        let study = try StudyFolder()
        try study.importDataset("d", rows: StudyFolder.sentimentRows(1))
        let results = [
            try AssayBinary.run(["factors", "Ontaro"]),
            try study.assay(["run", "--model", "m", "--dataset", "d", "--region", "Ontaro"]),
        ]
        for result in results {
            #expect(result.status != 0)
            let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!message.contains("\n"), "\(message)")
            #expect(message.contains("no emission factor for region 'Ontaro'; nearest: CA-ON (Ontario, Canada)"), "\(message)")
        }
    }

    @Test(arguments: [
        ("US", 369.473, "lifecycle"), ("US-CA", 179.064, "direct"), ("ca-on", 93.072, "mix x lifecycle factors"),
        ("GB", 237.589, "lifecycle"), ("jp", 485.392, "lifecycle"),
    ])
    func runsStoreTheRegionsFactorWithItsSource(_ region: String, _ grams: Double, _ kind: String) throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(2))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2:135m", "--host", server.ollamaURL])
        let summary = try study.runSummary(
            try study.assay([
                "run", "--model", "smol", "--dataset", "fpb", "--meter", "estimate",
                "--region", region, "--json",
            ]))
        #expect(summary["status"] as? String == "completed")
        let metrics = try study.assay(["metrics", "--run", "1", "--format", "json"])
        try #require(metrics.status == 0, "\(metrics.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(metrics.stdout.utf8)) as? [String: Any])
        let run = try #require((output["runs"] as? [[String: Any]])?.first)
        let co2 = try #require(run["co2"] as? [String: Any])
        #expect(co2["region"] as? String == region.uppercased())
        #expect(co2["emission_factor"] as? Double == grams)
        let source = co2["emission_factor_source"] as? String ?? ""
        #expect(source.contains("CodeCarbon 3.3.2") && source.contains(kind) && source.hasSuffix("2023"), "\(source)")
        // The fake server listens on 127.0.0.1, so the estimate covers a local server.
        #expect((run["energy"] as? [String: Any])?["label"] as? String == "estimated, local server")
    }
}
