import AssayCore
import AssayTestSupport
import Foundation
import Testing

@Suite("assay export table")
struct ExportTableTests {
    @Test(
        "LaTeX: the complete document and the fragment inside a minimal paper both compile with pdflatex",
        .enabled(if: ExportArtifacts.pdflatex != nil, Comment(rawValue: ExportArtifacts.missingPDFLaTeX)))
    func latexCompiles() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let document = folder.path("table.tex")
        let export = try AssayBinary.run(["export", "table", "--format", "latex", "--db", fixture.path, "--out", document])
        #expect(export.status == 0, "\(export.stderr)")
        let compiled = try ExportArtifacts.compile(document)
        #expect(compiled.status == 0, "pdflatex failed:\n\(compiled.log.suffix(1500))")
        #expect(FileManager.default.fileExists(atPath: compiled.pdf.path))

        let fragment = try AssayBinary.run(["export", "table", "--format", "latex", "--fragment", "--db", fixture.path])
        #expect(fragment.status == 0, "\(fragment.stderr)")
        #expect(!fragment.stdout.contains("\\documentclass"))
        try folder.write("fragment.tex", fragment.stdout)
        let paper = try folder.write("paper.tex", PaperWrapper.wrap(fragment.stdout))
        let compiledPaper = try ExportArtifacts.compile(paper)
        #expect(compiledPaper.status == 0, "the fragment did not compile with the packages it names:\n\(compiledPaper.log.suffix(1500))")
        try ExportArtifacts.keep([document, compiled.pdf.path])
    }

    @Test(
        "--changes adds each quantized run's flips against its group's first run; the LaTeX still compiles",
        .enabled(if: ExportArtifacts.pdflatex != nil, Comment(rawValue: ExportArtifacts.missingPDFLaTeX)))
    func changesAddTheFlips() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "table", "--format", "markdown", "--changes", "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| Flips R→W | Flips W→R | KLD | Same top |"))
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.dropFirst(2).map(String.init)
        try #require(rows.count == 4)
        // smollm2 Q4_0 got items 2 and 4 wrong and left 6 unparsed; qwen's Q4_K_M lost items 2 and 5. No divergence was measured.
        #expect(rows[0].hasSuffix("| – | – | – | – |") && rows[2].hasSuffix("| – | – | – | – |"), "the baselines have none")
        #expect(rows[1].hasSuffix("| 3 | 0 | – | – |"), "\(rows[1])")
        #expect(rows[3].hasSuffix("| 2 | 0 | – | – |"), "\(rows[3])")
        #expect(result.stdout.contains("Flips: items right in the group's first run"))

        let document = folder.path("changes.tex")
        let latex = try AssayBinary.run(["export", "table", "--format", "latex", "--changes", "--db", fixture.path, "--out", document])
        #expect(latex.status == 0, "\(latex.stderr)")
        let compiled = try ExportArtifacts.compile(document)
        #expect(compiled.status == 0, "pdflatex failed:\n\(compiled.log.suffix(1500))")
        let refused = try AssayBinary.run(["export", "table", "--format", "csv", "--table", "tasks", "--changes", "--db", fixture.path])
        #expect(refused.status != 0 && refused.stderr.contains("--changes applies to the results table"))
    }

    @Test("Markdown groups each model's runs, most precise first, with the CO2 change against it")
    func markdownGroupsByFamily() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "table", "--format", "markdown", "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.dropFirst(2).map(String.init)
        #expect(rows.count == 4)
        // smollm2: F16 0.84 g over 8 queries, Q4_0 0.48 g: 105 and 60 mg per query, 42.9 % less.
        #expect(rows[0].hasPrefix("| smollm2 | F16 | "))
        #expect(rows[0].contains("| 0.840 | 105.0 | –"))
        #expect(rows[1].hasPrefix("|  | Q4\\_0 | "))
        #expect(rows[1].contains("| 0.480 | 60.0 | −42.9% |"))
        #expect(rows[2].hasPrefix("| qwen2.5-0.5b-instruct | Q8\\_0 |"))
        #expect(rows[3].contains("| Q4\\_K\\_M |"))
        #expect(result.stdout.contains("Ember 2023 world average"))
    }

    @Test("CSV and JSON carry the metrics of the runs chosen; the interrupted run stays out")
    func csvAndJSON() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let csv = try AssayBinary.run(["export", "table", "--format", "csv", "--db", fixture.path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let records = try CSVReader(source: "table.csv").records(in: Array(csv.stdout.utf8))
        #expect(records.count == 5)
        let header = records[0].fields
        let smollQuantized = try #require(records.first { $0.fields[header.firstIndex(of: "model") ?? 0] == "smollm2 Q4_0" })
        func value(_ column: String) -> String { smollQuantized.fields[header.firstIndex(of: column) ?? 0] }
        // 6 of 8 right (item 2 and 4 wrong, item 6 unparsed counts as wrong): accuracy 5/8.
        #expect(value("accuracy") == "0.625")
        #expect(value("unparsed") == "1")
        #expect(value("family") == "smollm2")

        let runID = try #require(fixture.runIDs["smollm2 F16"])
        let json = try AssayBinary.run(["export", "table", "--format", "json", "--run", String(runID), "--db", fixture.path])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let groups = try #require(object["groups"] as? [[String: Any]])
        let rows = try #require(groups.first?["rows"] as? [[String: Any]])
        #expect(groups.count == 1 && rows.count == 1)
        #expect(rows.first?["accuracy"] as? Double == 1.0)
        let co2 = try #require(rows.first?["co2_grams_per_run"] as? Double)
        #expect(abs(co2 - 0.84) < 1e-12)
    }

    @Test("The table's figures are the ones `assay metrics` reports: accuracy, its interval, CO2 per query")
    func agreesWithMetrics() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let runID = String(try #require(fixture.runIDs["smollm2 Q4_0"]))
        let table = try AssayBinary.run(["export", "table", "--format", "json", "--run", runID, "--db", fixture.path])
        let metrics = try AssayBinary.run(["metrics", "--run", runID, "--format", "json", "--db", fixture.path])
        #expect(table.status == 0 && metrics.status == 0, "\(table.stderr)\(metrics.stderr)")
        let tableObject = try #require(try JSONSerialization.jsonObject(with: Data(table.stdout.utf8)) as? [String: Any])
        let row = try #require(((tableObject["groups"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first)
        let metricsObject = try #require(try JSONSerialization.jsonObject(with: Data(metrics.stdout.utf8)) as? [String: Any])
        let run = try #require((metricsObject["runs"] as? [[String: Any]])?.first)
        let interval = try #require(row["accuracy_interval"] as? [String: Any])
        let reference = try #require(run["accuracy_ci"] as? [String: Any])
        #expect(row["accuracy"] as? Double == run["accuracy"] as? Double)
        #expect(interval["lower"] as? Double == reference["lower"] as? Double)
        #expect(interval["upper"] as? Double == reference["upper"] as? Double)
        #expect(interval["seed"] as? Int == reference["seed"] as? Int)
        let co2 = try #require(run["co2"] as? [String: Any])
        #expect(row["co2_grams_per_query"] as? Double == co2["grams_per_query"] as? Double)
    }

    @Test("An unknown run id is one clear line")
    func unknownRun() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "table", "--format", "csv", "--run", "99", "--db", fixture.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no run with id 99; known runs: 1, 2, 3, 4, 5"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
