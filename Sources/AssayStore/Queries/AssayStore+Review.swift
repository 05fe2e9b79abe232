import AssayCore
import AssaySupport
import Foundation
import GRDB

/// Queries of the review REPL: annotators, rubric versions, review queues, and one short write
/// transaction per score so that several annotators can share a database.
extension AssayStore {
    /// The annotator's id, creating the annotator on first use.
    public func annotatorID(named name: String) throws -> AnnotatorID {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ !$0.isNewline && $0 != "/" }) else {
            throw AssayError(
                "annotator name '\(name)' is empty or holds '/' or a line break; pass --annotator with a plain name such as alice")
        }
        return try database.write { db in
            if let id = try AnnotatorID.fetchOne(db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [trimmed]) {
                return id
            }
            var record = AnnotatorRecord(name: trimmed)
            return try record.insertReturningID(db)
        }
    }

    /// The id of this rubric version, storing its definition on first use. A different definition
    /// under a stored name and version is refused: scores must always be readable against their rubric.
    public func rubricID(name: String, version: String, definition: String, source: String) throws -> RubricID {
        let hash = SHA256.hex(of: Array(definition.utf8))
        return try database.write { db in
            if let stored = try RubricRecord.filter(Column("name") == name && Column("version") == version).fetchOne(db) {
                guard stored.contentHash == hash else {
                    throw AssayError(
                        "\(source): rubric '\(name)' version \(version) is already stored with different content; raise its version to keep both"
                    )
                }
                return try stored.storedID()
            }
            var record = RubricRecord(name: name, version: version, definition: definition, contentHash: hash)
            return try record.insertReturningID(db)
        }
    }

    /// Whether each later commit of this process waits until the disk has it. Review sessions use
    /// `.full`: GRDB's WAL default, `.normal`, survives a crash or `kill -9` but can lose the last
    /// commits on power loss, and an acknowledged score must survive both.
    public func setCommitSync(_ level: CommitSync) throws {
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(level.rawValue)") }
    }

    /// Takes checkpoints out of commits. SQLite folds the write-ahead log into the database file
    /// inside whichever commit takes the log past 1,000 pages, so about one score in a hundred waited
    /// for that write and its fsync; after this, call `checkpoint()` when nobody is waiting (the
    /// review REPL does, while the annotator reads).
    public func turnOffAutomaticCheckpoints() throws {
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    /// Copies committed pages from the write-ahead log into the database file, without waiting for
    /// readers (a passive checkpoint). Afterwards the next commit can reuse the log from its start,
    /// so the log file stops growing and its fsync stays cheap. When another process is checkpointing
    /// at the same moment this one skips its turn: that checkpoint does the same work.
    public func checkpoint() throws {
        do {
            try database.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return
        }
    }

    /// The most recently stored rubric definition: lets a session resume without the rubric file at hand.
    public func latestRubricDefinition() throws -> String? {
        try database.read { db in try String.fetchOne(db, sql: "SELECT definition FROM rubric ORDER BY id DESC LIMIT 1") }
    }

    /// The runs named by `ids` (every run with predictions when empty), with their models.
    public func reviewRuns(_ ids: [RunID]) throws -> [ReviewRun] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT run.id, model.name, model.quantization,
                           (SELECT COUNT(*) FROM prediction WHERE prediction.run_id = run.id) AS predictions
                    FROM run JOIN model ON model.id = run.model_id ORDER BY run.id
                    """)
            let runs = rows.map { row in
                ReviewRun(id: row["id"], modelName: row["name"], quantization: row["quantization"], predictions: row["predictions"])
            }
            if ids.isEmpty { return runs.filter { $0.predictions > 0 } }
            let known = runs.map(\.id.description).joined(separator: ", ")
            return try ids.map { id in
                guard let run = runs.first(where: { $0.id == id }) else {
                    throw AssayError(
                        "no run with id \(id); known runs: \(known.isEmpty ? "none yet (assay run or assay predictions import)" : known)")
                }
                return run
            }
        }
    }

    /// Every prediction of the runs, by run then item position.
    public func reviewQueue(runIDs: [RunID]) throws -> [ReviewQueueEntry] {
        try database.read { db in
            let cursor = try Row.fetchCursor(
                db,
                SQLRequest(
                    literal: """
                        SELECT prediction.id, prediction.item_id, prediction.run_id, item.position, item.gold_label, prediction.label
                        FROM prediction JOIN item ON item.id = prediction.item_id
                        WHERE \(Self.runCondition(runIDs))
                        ORDER BY prediction.run_id, item.position
                        """))
            var entries: [ReviewQueueEntry] = []
            while let row = try cursor.next() {
                entries.append(
                    ReviewQueueEntry(
                        predictionID: row["id"], itemID: row["item_id"], runID: row["run_id"],
                        position: row["position"], goldLabel: row["gold_label"],
                        predictedLabel: row["label"]))
            }
            return entries
        }
    }

    /// The predictions this annotator has scored in this scope.
    public func scoredPredictionIDs(_ scope: ReviewScope) throws -> Set<PredictionID> {
        try database.read { db in
            Set(
                try PredictionID.fetchAll(
                    db, sql: "SELECT prediction_id FROM score WHERE annotator_id = ? AND rubric_id = ? AND kind = ?",
                    arguments: [scope.annotatorID, scope.rubricID, scope.kind]))
        }
    }

    /// One prediction with its item and model.
    public func reviewPrediction(id: PredictionID) throws -> ReviewPrediction {
        try database.read { db in
            guard let prediction = try Self.reviewPredictions(db, condition: "prediction.id = \(id)").first else {
                throw AssayError("prediction \(id) no longer exists (was its run deleted?)")
            }
            return prediction
        }
    }

    /// The predictions for the same text (matched by text hash, across datasets) in `runIDs`, by run.
    public func predictionsOfSameText(as predictionID: PredictionID, runIDs: [RunID]) throws -> [ReviewPrediction] {
        try database.read { db in
            try Self.reviewPredictions(
                db,
                condition: """
                    item.text_hash = (SELECT i.text_hash FROM prediction p JOIN item i ON i.id = p.item_id WHERE p.id = \(predictionID))
                    AND \(Self.runCondition(runIDs))
                    """)
        }
    }

    /// Every score of every annotator (both kinds) for the prediction under the rubric version.
    public func scores(predictionID: PredictionID, rubricID: RubricID) throws -> [AnnotatorScore] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT score.id, score.annotator_id, annotator.name, score.kind, score.criteria, score.comment, score.updated_at
                    FROM score JOIN annotator ON annotator.id = score.annotator_id
                    WHERE score.prediction_id = ? AND score.rubric_id = ? ORDER BY annotator.name, score.kind
                    """, arguments: [predictionID, rubricID])
            return try rows.map { row in
                let scoreID: ScoreID = row["id"]
                return AnnotatorScore(
                    annotatorID: row["annotator_id"], annotator: row["name"], kind: try Self.scoreKind(row["kind"], scoreID: scoreID),
                    entry: ScoreEntry(values: try Self.storedCriteria(row["criteria"], scoreID: scoreID), comment: row["comment"]),
                    updatedAt: row["updated_at"])
            }
        }
    }

    /// Stores the annotator's score for a prediction in its own transaction, returning the score it replaced.
    @discardableResult
    public func saveScore(_ entry: ScoreEntry, predictionID: PredictionID, scope: ReviewScope) throws -> ScoreEntry? {
        try database.write { db in
            if var existing = try Self.score(db, predictionID: predictionID, scope: scope) {
                let previous = ScoreEntry(values: existing.criteria, comment: existing.comment)
                existing.criteria = entry.values
                existing.comment = entry.comment
                existing.updatedAt = Date()
                try existing.update(db)
                return previous
            }
            var record = ScoreRecord(
                predictionId: predictionID, annotatorId: scope.annotatorID, rubricId: scope.rubricID,
                kind: scope.kind, criteria: entry.values, comment: entry.comment)
            try record.insert(db)
            return nil
        }
    }

    /// Puts back the score a `saveScore` replaced, or deletes the score when there was none (undo).
    public func restoreScore(_ previous: ScoreEntry?, predictionID: PredictionID, scope: ReviewScope) throws {
        try database.write { db in
            guard var existing = try Self.score(db, predictionID: predictionID, scope: scope) else { return }
            guard let previous else {
                try existing.delete(db)
                return
            }
            existing.criteria = previous.values
            existing.comment = previous.comment
            existing.updatedAt = Date()
            try existing.update(db)
        }
    }

    /// How many other annotators have scored the prediction (annotations only), for `--per-item`.
    public func otherAnnotatorCount(predictionID: PredictionID, scope: ReviewScope) throws -> Int {
        try database.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM score
                    WHERE prediction_id = ? AND rubric_id = ? AND kind = 'annotation' AND annotator_id != ?
                    """, arguments: [predictionID, scope.rubricID, scope.annotatorID]) ?? 0
        }
    }

    /// The predictions in the runs whose item text contains `text` (case-insensitive for ASCII).
    public func predictionIDs(containing text: String, runIDs: [RunID]) throws -> Set<PredictionID> {
        try database.read { db in
            Set(
                try PredictionID.fetchAll(
                    db,
                    SQLRequest(
                        literal: """
                            SELECT prediction.id FROM prediction JOIN item ON item.id = prediction.item_id
                            WHERE instr(lower(item.text), lower(\(text))) > 0 AND \(Self.runCondition(runIDs))
                            """)))
        }
    }

    /// The values of every score this annotator gave in the scope, for the score distribution.
    public func scoreValues(_ scope: ReviewScope) throws -> [[String: ScoreValue]] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT score.id, score.criteria FROM score JOIN prediction ON prediction.id = score.prediction_id
                        WHERE score.annotator_id = \(scope.annotatorID) AND score.rubric_id = \(scope.rubricID)
                          AND score.kind = \(scope.kind) AND \(Self.runCondition(scope.runIDs))
                        """))
            return try rows.map { try Self.storedCriteria($0["criteria"], scoreID: $0["id"]) }
        }
    }

    /// Every annotation of the rubric version in the runs, grouped by prediction: the input of adjudication.
    public func annotationsByPrediction(rubricID: RubricID, runIDs: [RunID]) throws -> [PredictionID: [[String: ScoreValue]]] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT score.id, score.prediction_id, score.criteria FROM score JOIN prediction ON prediction.id = score.prediction_id
                        WHERE score.rubric_id = \(rubricID) AND score.kind = \(ScoreKind.annotation) AND \(Self.runCondition(runIDs))
                        """))
            var grouped: [PredictionID: [[String: ScoreValue]]] = [:]
            for row in rows {
                grouped[row["prediction_id"], default: []].append(try Self.storedCriteria(row["criteria"], scoreID: row["id"]))
            }
            return grouped
        }
    }

    private static func score(_ db: Database, predictionID: PredictionID, scope: ReviewScope) throws -> ScoreRecord? {
        try ScoreRecord
            .filter(Column("prediction_id") == predictionID && Column("annotator_id") == scope.annotatorID)
            .filter(Column("rubric_id") == scope.rubricID && Column("kind") == scope.kind)
            .fetchOne(db)
    }

    private static func reviewPredictions(_ db: Database, condition: SQL) throws -> [ReviewPrediction] {
        let rows = try Row.fetchAll(
            db,
            SQLRequest(
                literal: """
                    SELECT prediction.id, prediction.run_id, prediction.item_id, item.position, item.text, item.gold_label,
                           prediction.label, prediction.parse_status, prediction.reasoning, prediction.raw_output,
                           model.name, model.quantization, dataset.kind, prediction.outcome
                    FROM prediction
                    JOIN item ON item.id = prediction.item_id
                    JOIN dataset ON dataset.id = item.dataset_id
                    JOIN run ON run.id = prediction.run_id
                    JOIN model ON model.id = run.model_id
                    WHERE \(condition)
                    ORDER BY prediction.run_id
                    """))
        return try rows.map { row in
            let predictionID: PredictionID = row["id"]
            return ReviewPrediction(
                predictionID: predictionID, runID: row["run_id"], itemID: row["item_id"], position: row["position"],
                text: row["text"], goldLabel: row["gold_label"], predictedLabel: row["label"],
                parseStatus: try parseStatus(row["parse_status"], predictionID: predictionID), reasoning: row["reasoning"],
                rawOutput: row["raw_output"], modelName: row["name"], quantization: row["quantization"],
                kind: TaskKind(rawValue: row["kind"]) ?? .classification,
                outcome: try (row["outcome"] as String?).map { try ItemOutcome(jsonText: $0, place: "prediction \(predictionID)") })
        }
    }
}
