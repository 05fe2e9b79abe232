import AssayTestSupport
import Foundation
import Testing

@Suite("assay export figure")
struct ExportFigureTests {
    @Test(
        "LaTeX: the figure compiles, and hostile reasoning and comments print as text without reading /etc/passwd",
        .enabled(if: ExportArtifacts.pdflatex != nil, Comment(rawValue: ExportArtifacts.missingPDFLaTeX)))
    func latexCompilesAndStaysInert() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let document = folder.path("figure.tex")
        let export = try AssayBinary.run([
            "export", "figure", "--format", "latex", "--select", "all", "--db", fixture.path, "--out", document,
        ])
        #expect(export.status == 0, "\(export.stderr)")
        let compiled = try ExportArtifacts.compile(document)
        #expect(compiled.status == 0, "pdflatex failed:\n\(compiled.log.suffix(1500))")
        #expect(!compiled.log.contains("/etc/passwd"), "pdflatex opened /etc/passwd")
        if let text = try ExportArtifacts.text(of: compiled.pdf) {
            let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains("\\input{/etc/passwd} } % & # _ ^ ~ \\ <script>alert(1)</script> </td> \"double\""))
            #expect(!flat.contains("root:x:0:0"))
        }

        let fragment = try AssayBinary.run(["export", "figure", "--format", "latex", "--fragment", "--db", fixture.path])
        #expect(fragment.status == 0, "\(fragment.stderr)")
        try folder.write("fragment.tex", fragment.stdout)
        let compiledPaper = try ExportArtifacts.compile(try folder.write("paper.tex", PaperWrapper.wrap(fragment.stdout)))
        #expect(compiledPaper.status == 0, "the fragment did not compile with the packages it names:\n\(compiledPaper.log.suffix(1500))")
        try ExportArtifacts.keep([document, compiled.pdf.path])
    }

    @Test("key picks consistent and inconsistent answers for every gold label, each beside its other-precision answer")
    func keySelectionIsBalanced() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "figure", "--format", "json", "--limit", "8", "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        let examples = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(examples.count == 8)
        let verdicts = Set(examples.compactMap { $0["verdict"] as? String })
        #expect(verdicts.contains("consistent") && verdicts.contains("inconsistent"))
        let golds = Set(examples.compactMap { $0["gold_label"] as? String })
        #expect(golds == ["negative", "neutral", "positive"])
        // Pairs: the same item twice in a row, the F16 answer first.
        let first = examples[0]
        let second = examples[1]
        #expect(first["item_position"] as? Int == second["item_position"] as? Int)
        #expect(first["quantization"] as? String == "F16" && second["quantization"] as? String == "Q4_0")
    }

    @Test("--ids shows the predictions named, in the order named")
    func idsKeepTheirOrder() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "figure", "--format", "json", "--ids", "12", "3", "9", "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        let examples = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(examples.compactMap { $0["prediction_id"] as? Int } == [12, 3, 9])
        let unknown = try AssayBinary.run(["export", "figure", "--format", "json", "--ids", "999", "--db", fixture.path])
        #expect(unknown.status != 0 && unknown.stderr.contains("no prediction with id 999; prediction ids run from 1 to 32"))
    }

    @Test("An adjudicated score replaces the annotators' in the box")
    func adjudicationWins() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run([
            "export", "figure", "--format", "markdown", "--ids", String(fixture.adjudicatedPredictionID), "--db", fixture.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("carol (adjudicated): consistency inconsistent, clarity 3, alignment 2. Settled:"))
        #expect(!result.stdout.contains("alice"))
    }

    @Test("HTML, Markdown and JSON keep hostile text inert and readable")
    func hostileTextIsInert() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let id = String(fixture.hostilePredictionID)
        let html = try AssayBinary.run(["export", "figure", "--format", "html", "--ids", id, "--db", fixture.path])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(!html.stdout.lowercased().contains("<script"))
        #expect(
            html.stdout.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt; &lt;/td&gt; &quot;double&quot; &#39;single&#39;, a, b<br>second line<br>third"))

        let markdown = try AssayBinary.run(["export", "figure", "--format", "markdown", "--ids", id, "--db", fixture.path])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(!markdown.stdout.contains("<script"))
        #expect(
            markdown.stdout.contains(
                "Operating profit rose from 8.7 to 13.1. \\\\input{/etc/passwd} } % &amp; \\# \\_ ^ \\~ \\\\ &lt;script&gt;alert(1)&lt;/script&gt; &lt;/td&gt;"
            ))
        // Every table line still has exactly the two cells it opened with.
        for line in markdown.stdout.split(separator: "\n") where line.hasPrefix("| ") {
            let unescapedBars = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(unescapedBars == 3, "a cell broke out in: \(line)")
        }

        let json = try AssayBinary.run(["export", "figure", "--format", "json", "--ids", id, "--db", fixture.path])
        #expect(json.status == 0, "\(json.stderr)")
        let examples = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(examples.first?["reasoning"] as? String == "Operating profit rose from 8.7 to 13.1. " + ExportFixture.hostile)
        let evaluations = try #require(examples.first?["evaluations"] as? [[String: Any]])
        #expect(evaluations.contains { $0["comment"] as? String == ExportFixture.hostile })
    }
}
