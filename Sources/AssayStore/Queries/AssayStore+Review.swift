import AssayCore
import AssaySupport
import Foundation
import GRDB

/// Queries of the review REPL: annotators, rubric versions, review queues, and one short write
/// transaction per score so that several annotators can share a database. Written once on
/// `StoreStatements`, so a review session runs on a SQLite file or a PostgreSQL database alike.
extension AssayStore {
    /// The annotator's id, creating the annotator on first use (by whichever session gets there first).
    public func annotatorID(named name: String) throws -> AnnotatorID {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ !$0.isNewline && $0 != "/" }) else {
            throw AssayError(
                "annotator name '\(name)' is empty or holds '/' or a line break; pass --annotator with a plain name such as alice")
        }
        return try writing { statements in
            try statements.insert(AnnotatorRecord(name: trimmed), skippingConflictOn: "name")
            guard let id: AnnotatorID = try statements.value("SELECT id FROM annotator WHERE name = ?", [trimmed.databaseValue]) else {
                throw AssayError("annotator '\(trimmed)' could not be stored; \(Self.changedOutsideAssay)")
            }
            return id
        }
    }

    /// The id of this rubric version, storing its definition on first use. A different definition
    /// under a stored name and version is refused: scores must always be readable against their rubric.
    public func rubricID(name: String, version: String, definition: String, source: String) throws -> RubricID {
        let hash = SHA256.hex(of: Array(definition.utf8))
        return try writing { statements in
            try statements.insert(
                RubricRecord(name: name, version: version, definition: definition, contentHash: hash), skippingConflictOn: "name, version")
            guard
                let stored = try statements.rows(
                    "SELECT id, content_hash FROM rubric WHERE name = ? AND version = ?", [name.databaseValue, version.databaseValue]
                ).first
            else {
                throw AssayError("rubric '\(name)' version \(version) could not be stored; \(Self.changedOutsideAssay)")
            }
            guard stored["content_hash"] as String == hash else {
                throw AssayError(
                    "\(source): rubric '\(name)' version \(version) is already stored with different content; raise its version to keep both"
                )
            }
            return stored["id"]
        }
    }

    /// Whether each later commit of this process waits until the disk has it. Review sessions use
    /// `.full`: GRDB's WAL default, `.normal`, survives a crash or `kill -9` but can lose the last
    /// commits on power loss, and an acknowledged score must survive both. On PostgreSQL the same
    /// choice is `synchronous_commit`.
    public func setCommitSync(_ level: CommitSync) throws {
        try settingSession(
            sqlite: "PRAGMA synchronous = \(level.rawValue)", postgres: "SET synchronous_commit = \(level == .full ? "on" : "off")")
    }

    /// Takes checkpoints out of commits. SQLite folds the write-ahead log into the database file
    /// inside whichever commit takes the log past 1,000 pages, so about one score in a hundred waited
    /// for that write and its fsync; after this, call `checkpoint()` when nobody is waiting (the
    /// review REPL does, while the annotator reads). A PostgreSQL server checkpoints on its own.
    public func turnOffAutomaticCheckpoints() throws {
        guard !isPostgres else { return }
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    /// Copies committed pages from the write-ahead log into the database file, without waiting for
    /// readers (a passive checkpoint). Afterwards the next commit can reuse the log from its start,
    /// so the log file stops growing and its fsync stays cheap. When another process is checkpointing
    /// at the same moment this one skips its turn: that checkpoint does the same work.
    public func checkpoint() throws {
        guard !isPostgres else { return }
        do {
            try database.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return
        }
    }

    /// The most recently stored rubric definition: lets a session resume without the rubric file at hand.
    public func latestRubricDefinition() throws -> String? {
        try reading { statements in try statements.value("SELECT definition FROM rubric ORDER BY id DESC LIMIT 1") }
    }

    /// The runs named by `ids` (every run with predictions when empty), with their models.
    public func reviewRuns(_ ids: [RunID]) throws -> [ReviewRun] {
        try reading { statements in
            let rows = try statements.rows(
                """
                SELECT run.id, model.name, model.quantization,
                       (SELECT COUNT(*) FROM prediction WHERE prediction.run_id = run.id) AS predictions
                FROM run JOIN model ON model.id = run.model_id ORDER BY run.id
                """, [])
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
        try reading { statements in
            try statements.rows(
                """
                SELECT prediction.id, prediction.item_id, prediction.run_id, item.position, item.gold_label, prediction.label
                FROM prediction JOIN item ON item.id = prediction.item_id
                WHERE \(Self.runCondition(runIDs))
                ORDER BY prediction.run_id, item.position
                """, []
            ).map { row in
                ReviewQueueEntry(
                    predictionID: row["id"], itemID: row["item_id"], runID: row["run_id"], position: row["position"],
                    goldLabel: row["gold_label"], predictedLabel: row["label"])
            }
        }
    }

    /// The predictions this annotator has scored in this scope.
    public func scoredPredictionIDs(_ scope: ReviewScope) throws -> Set<PredictionID> {
        try reading { statements in
            Set(
                try statements.rows(
                    "SELECT prediction_id FROM score WHERE annotator_id = ? AND rubric_id = ? AND kind = ?",
                    [scope.annotatorID.databaseValue, scope.rubricID.databaseValue, scope.kind.databaseValue]
                ).map { $0["prediction_id"] as PredictionID })
        }
    }

    /// One prediction with its item and model.
    public func reviewPrediction(id: PredictionID) throws -> ReviewPrediction {
        try reading { statements in
            guard let prediction = try Self.reviewPredictions(statements, condition: "prediction.id = ?", [id.databaseValue]).first else {
                throw AssayError("prediction \(id) no longer exists (was its run deleted?)")
            }
            return prediction
        }
    }

    /// The predictions for the same text (matched by text hash, across datasets) in `runIDs`, by run.
    public func predictionsOfSameText(as predictionID: PredictionID, runIDs: [RunID]) throws -> [ReviewPrediction] {
        try reading { statements in
            try Self.reviewPredictions(
                statements,
                condition: """
                    item.text_hash = (SELECT i.text_hash FROM prediction p JOIN item i ON i.id = p.item_id WHERE p.id = ?)
                    AND \(Self.runCondition(runIDs))
                    """, [predictionID.databaseValue])
        }
    }

    /// Every score of every annotator (both kinds) for the prediction under the rubric version, by annotator name.
    public func scores(predictionID: PredictionID, rubricID: RubricID) throws -> [AnnotatorScore] {
        let scores = try reading { statements in
            try statements.rows(
                """
                SELECT score.id, score.annotator_id, annotator.name, score.kind, score.criteria, score.comment, score.updated_at
                FROM score JOIN annotator ON annotator.id = score.annotator_id
                WHERE score.prediction_id = ? AND score.rubric_id = ?
                """, [predictionID.databaseValue, rubricID.databaseValue]
            ).map { row in
                let scoreID: ScoreID = row["id"]
                return AnnotatorScore(
                    annotatorID: row["annotator_id"], annotator: row["name"], kind: try Self.scoreKind(row["kind"], scoreID: scoreID),
                    entry: ScoreEntry(values: try Self.storedCriteria(row["criteria"], scoreID: scoreID), comment: row["comment"]),
                    updatedAt: row["updated_at"])
            }
        }
        // Sorted here, not in SQL: PostgreSQL's collation would order names differently from SQLite's bytes.
        return scores.sorted { first, second in
            first.annotator == second.annotator
                ? first.kind.rawValue < second.kind.rawValue : first.annotator.utf8.lexicographicallyPrecedes(second.annotator.utf8)
        }
    }

    /// Stores the annotator's score for a prediction in its own transaction, returning the score it replaced.
    @discardableResult
    public func saveScore(_ entry: ScoreEntry, predictionID: PredictionID, scope: ReviewScope) throws -> ScoreEntry? {
        try writing { statements in
            if var existing = try Self.score(statements, predictionID: predictionID, scope: scope) {
                let previous = ScoreEntry(values: existing.criteria, comment: existing.comment)
                existing.criteria = entry.values
                existing.comment = entry.comment
                existing.updatedAt = Date()
                try statements.update(existing, columns: ["criteria", "comment", "updated_at"])
                return previous
            }
            let record = ScoreRecord(
                predictionId: predictionID, annotatorId: scope.annotatorID, rubricId: scope.rubricID,
                kind: scope.kind, criteria: entry.values, comment: entry.comment)
            _ = try statements.inserted(record)
            return nil
        }
    }

    /// Puts back the score a `saveScore` replaced, or deletes the score when there was none (undo).
    public func restoreScore(_ previous: ScoreEntry?, predictionID: PredictionID, scope: ReviewScope) throws {
        try writing { statements in
            guard var existing = try Self.score(statements, predictionID: predictionID, scope: scope), let id = existing.id else { return }
            guard let previous else {
                try statements.execute("DELETE FROM score WHERE id = ?", [id.databaseValue])
                return
            }
            existing.criteria = previous.values
            existing.comment = previous.comment
            existing.updatedAt = Date()
            try statements.update(existing, columns: ["criteria", "comment", "updated_at"])
        }
    }

    /// How many other annotators have scored the prediction (annotations only), for `--per-item`.
    public func otherAnnotatorCount(predictionID: PredictionID, scope: ReviewScope) throws -> Int {
        try reading { statements in
            try statements.value(
                """
                SELECT COUNT(*) FROM score
                WHERE prediction_id = ? AND rubric_id = ? AND kind = 'annotation' AND annotator_id != ?
                """, [predictionID.databaseValue, scope.rubricID.databaseValue, scope.annotatorID.databaseValue]) ?? 0
        }
    }

    /// The predictions in the runs whose item text contains `text` (case-insensitive for ASCII).
    public func predictionIDs(containing text: String, runIDs: [RunID]) throws -> Set<PredictionID> {
        // LIKE with its wildcards escaped: the substring test both stores have.
        let pattern =
            "%"
            + text.lowercased().reduce(into: "") { escaped, character in
                if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
                escaped.append(character)
            } + "%"
        return try reading { statements in
            Set(
                try statements.rows(
                    """
                    SELECT prediction.id FROM prediction JOIN item ON item.id = prediction.item_id
                    WHERE lower(item.text) LIKE ? ESCAPE '\\' AND \(Self.runCondition(runIDs))
                    """, [pattern.databaseValue]
                ).map { $0["id"] as PredictionID })
        }
    }

    /// The values of every score this annotator gave in the scope, for the score distribution.
    public func scoreValues(_ scope: ReviewScope) throws -> [[String: ScoreValue]] {
        try reading { statements in
            try statements.rows(
                """
                SELECT score.id, score.criteria FROM score JOIN prediction ON prediction.id = score.prediction_id
                WHERE score.annotator_id = ? AND score.rubric_id = ? AND score.kind = ? AND \(Self.runCondition(scope.runIDs))
                """, [scope.annotatorID.databaseValue, scope.rubricID.databaseValue, scope.kind.databaseValue]
            ).map { try Self.storedCriteria($0["criteria"], scoreID: $0["id"]) }
        }
    }

    /// Every annotation of the rubric version in the runs, grouped by prediction: the input of adjudication.
    public func annotationsByPrediction(rubricID: RubricID, runIDs: [RunID]) throws -> [PredictionID: [[String: ScoreValue]]] {
        try reading { statements in
            let rows = try statements.rows(
                """
                SELECT score.id, score.prediction_id, score.criteria FROM score JOIN prediction ON prediction.id = score.prediction_id
                WHERE score.rubric_id = ? AND score.kind = ? AND \(Self.runCondition(runIDs))
                """, [rubricID.databaseValue, ScoreKind.annotation.databaseValue])
            var grouped: [PredictionID: [[String: ScoreValue]]] = [:]
            for row in rows {
                grouped[row["prediction_id"], default: []].append(try Self.storedCriteria(row["criteria"], scoreID: row["id"]))
            }
            return grouped
        }
    }

    private static func score(_ statements: any StoreStatements, predictionID: PredictionID, scope: ReviewScope) throws -> ScoreRecord? {
        try statements.rows(
            "SELECT * FROM score WHERE prediction_id = ? AND annotator_id = ? AND rubric_id = ? AND kind = ?",
            [predictionID.databaseValue, scope.annotatorID.databaseValue, scope.rubricID.databaseValue, scope.kind.databaseValue]
        ).first.map { try ScoreRecord(row: $0) }
    }

    private static func reviewPredictions(
        _ statements: any StoreStatements, condition: String, _ arguments: [DatabaseValue]
    ) throws -> [ReviewPrediction] {
        try statements.rows(
            """
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
            """, arguments
        ).map { row in
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
