import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import GRDB

/// A temporary study with generated predictions (two runs over the same texts by default: an F16
/// and a Q4_K_M model), and helpers to run `assay review` on it and read back what it stored.
/// On `.postgres` the study is generated in SQLite, copied into a new PostgreSQL database with
/// `assay db copy`, and read back the same way.
final class ReviewFixture: @unchecked Sendable {
    static let rubricPath = SharedFiles.projectFile("rubrics/sentiment-review.yaml").path
    static let models = [(name: "fin-model-f16", quantization: "F16"), (name: "fin-model-q4", quantization: "Q4_K_M")]

    let folder: TemporaryFolder
    let databasePath: String
    let store: AssayStore
    let runIDs: [RunID]
    /// The database the commands run on, when it is PostgreSQL.
    let postgres: TestPostgres.Database?

    /// `otherAnnotators` generated annotators score every tenth prediction. `storingRubric: false`
    /// leaves the database without any rubric (and without other annotators' scores).
    init(
        items: Int, models: [(name: String, quantization: String)] = ReviewFixture.models, otherAnnotators: Int = 0,
        storingRubric: Bool = true, on storeKind: TestStore = .sqlite
    ) throws {
        folder = try TemporaryFolder(prefix: "assay-review")
        databasePath = folder.path("study.sqlite")
        store = try AssayStore(path: databasePath, create: true)
        if storingRubric {
            let definition = try String(contentsOfFile: Self.rubricPath, encoding: .utf8)
            let rubricID = try store.rubricID(name: "sentiment-review", version: "1", definition: definition, source: Self.rubricPath)
            runIDs = try store.insertReviewFixture(
                items: items, models: models,
                annotations: otherAnnotators > 0 ? (otherAnnotators, rubricID, ["consistency", "clarity", "alignment"]) : nil)
        } else {
            runIDs = try store.insertReviewFixture(items: items, models: models)
        }
        guard storeKind == .postgres else {
            postgres = nil
            return
        }
        let database = try TestPostgres.Database()
        let copy = try AssayBinary.run(["db", "copy", databasePath, database.url])
        guard copy.status == 0 else { throw TestPostgresError("assay db copy into PostgreSQL failed: \(copy.stderr)") }
        postgres = database
    }

    /// What `--db` names: the SQLite file, or the PostgreSQL database.
    var storeArgument: String { postgres?.url ?? databasePath }

    /// A SQLite file holding what the store holds now: the file itself, or a fresh copy of the PostgreSQL database.
    func readableFile() throws -> String {
        guard let postgres else { return databasePath }
        let path = folder.path("read-back-\(UUID().uuidString.prefix(8)).sqlite")
        let copy = try AssayBinary.run(["db", "copy", postgres.url, path])
        guard copy.status == 0 else { throw TestPostgresError("assay db copy out of PostgreSQL failed: \(copy.stderr)") }
        return path
    }

    /// The rubrics stored in the database: name, version and definition.
    func storedRubrics() throws -> [[String]] {
        try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT name, version, definition FROM rubric ORDER BY id").map {
                [$0["name"], $0["version"], $0["definition"]]
            }
        }
    }

    /// History files go to the fixture's folder, not the user's.
    var environment: [String: String] { ["XDG_DATA_HOME": folder.path("xdg")] }

    var commonArguments: [String] { ["--db", storeArgument, "--rubric", Self.rubricPath] }

    func review(_ arguments: [String], input: String) throws -> AssayBinary.Result {
        try AssayBinary.run(["review"] + commonArguments + arguments, stdin: input, environment: environment)
    }

    func adjudicate(_ arguments: [String], input: String) throws -> AssayBinary.Result {
        try AssayBinary.run(["adjudicate"] + commonArguments + arguments, stdin: input, environment: environment)
    }

    /// A stored score, as the database holds it.
    struct StoredScore: Equatable {
        let position: Int
        let runID: RunID
        let criteria: [String: ScoreValue]
        let comment: String?
    }

    /// The annotator's scores of one kind, by run and item position.
    func scores(of annotator: String, kind: String = "annotation") throws -> [StoredScore] {
        try DatabaseQueue(path: readableFile()).read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT item.position, prediction.run_id, score.criteria, score.comment FROM score
                    JOIN annotator ON annotator.id = score.annotator_id
                    JOIN prediction ON prediction.id = score.prediction_id JOIN item ON item.id = prediction.item_id
                    WHERE annotator.name = ? AND score.kind = ? ORDER BY prediction.run_id, item.position
                    """, arguments: [annotator, kind]
            ).map { row in
                StoredScore(
                    position: row[0], runID: row[1],
                    criteria: try JSONDecoder().decode([String: ScoreValue].self, from: Data((row[2] as String).utf8)),
                    comment: row[3])
            }
        }
    }

    /// The score history's actions for the annotator, oldest first.
    func historyActions(of annotator: String) throws -> [String] {
        try DatabaseQueue(path: readableFile()).read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT action FROM score_history JOIN annotator ON annotator.id = score_history.annotator_id
                    WHERE annotator.name = ? ORDER BY score_history.id
                    """, arguments: [annotator])
        }
    }

    static func values(_ consistency: Int, _ clarity: Int, _ alignment: Int) -> [String: ScoreValue] {
        ["consistency": .number(Double(consistency)), "clarity": .number(Double(clarity)), "alignment": .number(Double(alignment))]
    }
}
