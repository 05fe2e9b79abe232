import AssayTestSupport
import Foundation
import Testing

struct BenchMetricsCommandTests {
    @Test func reportsEveryTimedStepAsJSON() throws {
        let result = try AssayBinary.run(["bench", "metrics", "--predictions", "2000", "--bootstrap", "50", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["predictions"] as? Int == 2000)
        #expect(object["resamples"] as? Int == 50)
        for key in ["coding_seconds", "metrics_seconds", "bootstrap_seconds", "paired_bootstrap_seconds"] {
            #expect((object[key] as? Double ?? -1) >= 0, "\(key)")
        }
        // Synthetic answers are 70% right.
        #expect(abs((object["accuracy"] as? Double ?? 0) - 0.7) < 0.05)
        let refused = try AssayBinary.run(["bench", "metrics", "--predictions", "0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--predictions must be at least 1"))
    }
}
