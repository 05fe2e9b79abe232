import AssayCore
import AssayTestSupport
import Foundation
import Testing

@Suite("assay export table")
struct ExportTableTests {
    @Test("LaTeX: the complete document and the fragment inside a minimal paper both compile with pdflatex",
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

    @Test("An unknown run id is one clear line")
    func unknownRun() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "table", "--format", "csv", "--run", "99", "--db", fixture.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no run with id 99; known run ids: 1, 2, 3, 4, 5"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

/// Puts a LaTeX fragment into the smallest paper that loads the packages the fragment names.
enum PaperWrapper {
    /// The paper `\input`s `fragment.tex` from its own folder.
    static func wrap(_ fragment: String) -> String {
        let packages = fragment.split(separator: "\n")
            .filter { $0.hasPrefix("%   \\usepackage") }
            .map { String($0.dropFirst(4)) }
        return "\\documentclass{article}\n" + packages.joined(separator: "\n") + "\n\\begin{document}\n\\input{fragment}\n\\end{document}\n"
    }
}
