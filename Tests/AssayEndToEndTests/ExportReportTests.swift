import AssayTestSupport
import Foundation
import Testing

@Suite("assay report")
struct ExportReportTests {
    @Test("One self-contained page: results, chart with the Pareto front, matrices, scores, agreement; no script, no outside resource")
    func selfContainedReport() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let out = folder.path("report.html")
        let result = try AssayBinary.run(["report", "--out", out, "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("@import") && !page.contains("url("))
        #expect(page.contains("<svg") && page.contains("Pareto front"))
        // The front: smollm2 Q4_0 is cheapest, smollm2 F16 is the most accurate; both qwen runs are dominated.
        let front = try #require(page.split(separator: "\n").first { $0.contains("On the Pareto front") })
        #expect(front.contains("smollm2 Q4_0, run 2") && front.contains("smollm2 F16, run 1") && !front.contains("qwen"))
        for section in [
            "Results", "Confusion matrices and per-class figures", "Expert scores", "Agreement between annotators", "Key examples",
        ] {
            #expect(page.contains("<h2>\(section)</h2>"), "missing section \(section)")
        }
        // Criteria in the rubric's order, not the alphabet's.
        let consistency = try #require(page.range(of: "<h3>consistency</h3>"))
        let alignment = try #require(page.range(of: "<h3>alignment</h3>"))
        #expect(consistency.lowerBound < alignment.lowerBound)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        try ExportArtifacts.keep([out, fixture.path])
    }

    @Test("A report into a missing folder is one clear line and leaves no file behind")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let out = folder.path("absent/report.html")
        let result = try AssayBinary.run(["report", "--out", out, "--db", fixture.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("the folder") && result.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
