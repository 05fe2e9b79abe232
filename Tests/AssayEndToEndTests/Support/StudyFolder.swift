import AssayTestSupport
import Foundation
import Testing

/// A temporary folder with its own database (a SQLite file in it, or a new PostgreSQL database),
/// driven through the built `assay` binary.
final class StudyFolder {
    let folder: TemporaryFolder
    private let postgres: TestPostgres.Database?
    /// What `--db` names.
    var database: String { postgres?.url ?? folder.path("study.sqlite") }

    init(on store: TestStore = .sqlite) throws {
        folder = try TemporaryFolder(prefix: "assay-run-test")
        postgres = store == .postgres ? try TestPostgres.Database() : nil
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

    /// The one run of `assay metrics --run RUN --format json`.
    func metricsView(run: Int) throws -> [String: Any] {
        let result = try assay(["metrics", "--run", String(run), "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require((object?["runs"] as? [[String: Any]])?.first, "metrics failed: \(result.stderr)")
    }

    /// Imports code dataset `name`: one problem per (id, programs), asking for `solve()` returning 1,
    /// whose prompt tells the fake server to answer with `programs[seed % count]` (base64 in the prompt).
    func importCodeProblems(_ problems: [(id: String, programs: [String])], name: String) throws {
        var rows = ""
        for problem in problems {
            let marker = problem.programs.map { Data($0.utf8).base64EncodedString() }.joined(separator: ",")
            let object: [String: Any] = [
                "task_id": problem.id, "prompt": "# expect-code:\(marker)\ndef solve():\n    \"\"\"Return 1.\"\"\"\n",
                "entry_point": "solve", "test": "def check(candidate):\n    assert candidate() == 1\n",
            ]
            rows += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        let data = try folder.write("\(name).jsonl", rows)
        let result = try assay(["dataset", "import", data, "--name", name, "--kind", "code"])
        try #require(result.status == 0, "dataset import failed: \(result.stderr)")
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
