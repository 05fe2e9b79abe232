import AssayTestSupport
import Foundation
import Testing

/// A temporary folder with its own database, driven through the built `assay` binary.
final class StudyFolder {
    let folder: TemporaryFolder
    var database: String { folder.path("study.sqlite") }

    init() throws {
        folder = try TemporaryFolder(prefix: "assay-run-test")
    }

    /// Runs `assay` with `--db` pointing at this folder's database.
    @discardableResult
    func assay(_ arguments: [String], environment: [String: String] = [:]) throws -> AssayBinary.Result {
        try AssayBinary.run(arguments + ["--db", database], environment: environment)
    }

    /// Imports `rows` (text, label) as dataset `name`; `labels` when not positive/negative/neutral.
    func importDataset(_ name: String, rows: [(String, String)], labels: [String]? = nil) throws {
        var csv = "text,label\n"
        for (text, label) in rows {
            csv += "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\",\(label)\n"
        }
        let path = try folder.write("\(name).csv", csv)
        let result = try assay(
            ["dataset", "import", path, "--name", name] + (labels.map { ["--labels", $0.joined(separator: ",")] } ?? []))
        try #require(result.status == 0, "dataset import failed: \(result.stderr)")
    }

    /// Every stored prediction (of `run`, else of every run), as `predictions export --format jsonl` writes them.
    func predictions(run: Int? = nil) throws -> [[String: Any]] {
        let result = try assay(["predictions", "export", "--format", "jsonl"] + (run.map { ["--run", String($0)] } ?? []))
        try #require(result.status == 0, "export failed: \(result.stderr)")
        return try result.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// `assay run ... --json` parsed.
    func runSummary(_ result: AssayBinary.Result) throws -> [String: Any] {
        try #require(result.status == 0, "run failed (\(result.status)): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Sentiment rows whose text tells the fake server what to answer.
    static func sentimentRows(_ count: Int) -> [(String, String)] {
        let labels = ["positive", "negative", "neutral"]
        return (0..<count).map { index in
            let label = labels[index % 3]
            return ("Sentence \(index + 1) about quarterly results, expect:\(label)", label)
        }
    }
}
