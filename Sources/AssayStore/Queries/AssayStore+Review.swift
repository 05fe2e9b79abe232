import AssayCore
import Foundation
import GRDB

/// Queries of the review REPL: annotators, rubric versions, review queues, and one short write
/// transaction per score so that several annotators can share a database.
extension AssayStore {
    /// The annotator's id, creating the annotator on first use.
    public func annotatorID(named name: String) throws -> Int64 {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ !$0.isNewline && $0 != "/" }) else {
            throw AssayError("annotator name '\(name)' is empty or holds '/' or a line break; pass --annotator with a plain name such as alice")
        }
        return try pool.write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [trimmed]) {
                return id
            }
            var record = AnnotatorRecord(name: trimmed)
            try record.insert(db)
            guard let id = record.id else { throw AssayError("internal error: the annotator row got no id") }
            return id
        }
    }

    /// The id of this rubric version, storing its definition on first use. A different definition
    /// under a stored name and version is refused: scores must always be readable against their rubric.
    public func rubricID(name: String, version: String, definition: String, source: String) throws -> Int64 {
        let hash = SHA256.hex(of: Array(definition.utf8))
        return try pool.write { db in
            if let stored = try RubricRecord.filter(Column("name") == name && Column("version") == version).fetchOne(db),
               let id = stored.id {
                guard stored.contentHash == hash else {
                    throw AssayError("\(source): rubric '\(name)' version \(version) is already stored with different content; raise its version to keep both")
                }
                return id
            }
            var record = RubricRecord(name: name, version: version, definition: definition, contentHash: hash)
            try record.insert(db)
            guard let id = record.id else { throw AssayError("internal error: the rubric row got no id") }
            return id
        }
    }

    /// Whether each later commit of this process waits until the disk has it. Review sessions use
    /// `.full`: GRDB's WAL default, `.normal`, survives a crash or `kill -9` but can lose the last
    /// commits on power loss, and an acknowledged score must survive both.
    public func setCommitSync(_ level: CommitSync) throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(level.rawValue)") }
    }

    /// Takes checkpoints out of commits. SQLite folds the write-ahead log into the database file
    /// inside whichever commit takes the log past 1,000 pages, so about one score in a hundred waited
    /// for that write and its fsync; after this, call `checkpoint()` when nobody is waiting (the
    /// review REPL does, while the annotator reads).
    public func turnOffAutomaticCheckpoints() throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    /// Copies committed pages from the write-ahead log into the database file, without waiting for
    /// readers (a passive checkpoint). Afterwards the next commit can reuse the log from its start,
    /// so the log file stops growing and its fsync stays cheap. When another process is checkpointing
    /// at the same moment this one skips its turn: that checkpoint does the same work.
    public func checkpoint() throws {
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return
        }
    }

    /// The most recently stored rubric definition: lets a session resume without the rubric file at hand.
    public func latestRubricDefinition() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT definition FROM rubric ORDER BY id DESC LIMIT 1") }
    }

    /// The runs named by `ids` (every run with predictions when empty), with their models.
    public func reviewRuns(_ ids: [Int64]) throws -> [ReviewRun] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT run.id, model.name, model.quantization,
                       (SELECT COUNT(*) FROM prediction WHERE prediction.run_id = run.id) AS predictions
                FROM run JOIN model ON model.id = run.model_id ORDER BY run.id
                """)
            let runs = rows.map { ReviewRun(id: $0[0], modelName: $0[1], quantization: $0[2], predictions: $0[3]) }
            if ids.isEmpty { return runs.filter { $0.predictions > 0 } }
            let known = runs.map { String($0.id) }.joined(separator: ", ")
            return try ids.map { id in
                guard let run = runs.first(where: { $0.id == id }) else {
                    throw AssayError("no run with id \(id); known runs: \(known.isEmpty ? "none yet (assay run or assay predictions import)" : known)")
                }
                return run
            }
        }
    }

    /// Every prediction of the runs, by run then item position.
    public func reviewQueue(runIDs: [Int64]) throws -> [ReviewQueueEntry] {
        try pool.read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT prediction.id, prediction.item_id, prediction.run_id, item.position, item.gold_label, prediction.label
                FROM prediction JOIN item ON item.id = prediction.item_id
                \(Self.runFilter(runIDs, where: true))
                ORDER BY prediction.run_id, item.position
                """, arguments: StatementArguments(runIDs))
            var entries: [ReviewQueueEntry] = []
            while let row = try cursor.next() {
                entries.append(ReviewQueueEntry(predictionID: row[0], itemID: row[1], runID: row[2], position: row[3],
                                                goldLabel: row[4], predictedLabel: row[5]))
            }
            return entries
        }
    }

    /// The predictions this annotator has scored in this scope.
    public func scoredPredictionIDs(_ scope: ReviewScope) throws -> Set<Int64> {
        try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT prediction_id FROM score WHERE annotator_id = ? AND rubric_id = ? AND kind = ?",
                                   arguments: [scope.annotatorID, scope.rubricID, scope.kind.rawValue]))
        }
    }

    /// One prediction with its item and model.
    public func reviewPrediction(id: Int64) throws -> ReviewPrediction {
        try pool.read { db in
            guard let prediction = try Self.reviewPredictions(db, condition: "prediction.id = ?", arguments: [id]).first else {
                throw AssayError("prediction \(id) no longer exists (was its run deleted?)")
            }
            return prediction
        }
    }

    /// The predictions for the same text (matched by text hash, across datasets) in `runIDs`, by run.
    public func predictionsOfSameText(as predictionID: Int64, runIDs: [Int64]) throws -> [ReviewPrediction] {
        try pool.read { db in
            try Self.reviewPredictions(db, condition: """
                item.text_hash = (SELECT i.text_hash FROM prediction p JOIN item i ON i.id = p.item_id WHERE p.id = ?)
                \(Self.runFilter(runIDs, where: false))
                """, arguments: StatementArguments([predictionID]) + StatementArguments(runIDs))
        }
    }

    /// Every score of every annotator (both kinds) for the prediction under the rubric version.
    public func scores(predictionID: Int64, rubricID: Int64) throws -> [AnnotatorScore] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT score.annotator_id, annotator.name, score.kind, score.criteria, score.comment, score.updated_at
                FROM score JOIN annotator ON annotator.id = score.annotator_id
                WHERE score.prediction_id = ? AND score.rubric_id = ? ORDER BY annotator.name, score.kind
                """, arguments: [predictionID, rubricID])
            return try rows.map { row in
                AnnotatorScore(annotatorID: row[0], annotator: row[1], kind: try Self.kind(row[2]),
                               entry: ScoreEntry(values: try Self.criteria(row[3]), comment: row[4]), updatedAt: row[5])
            }
        }
    }

    /// Stores the annotator's score for a prediction in its own transaction, returning the score it replaced.
    @discardableResult
    public func saveScore(_ entry: ScoreEntry, predictionID: Int64, scope: ReviewScope) throws -> ScoreEntry? {
        try pool.write { db in
            if var existing = try Self.score(db, predictionID: predictionID, scope: scope) {
                let previous = ScoreEntry(values: existing.criteria, comment: existing.comment)
                existing.criteria = entry.values
                existing.comment = entry.comment
                existing.updatedAt = Date()
                try existing.update(db)
                return previous
            }
            var record = ScoreRecord(predictionId: predictionID, annotatorId: scope.annotatorID, rubricId: scope.rubricID,
                                     kind: scope.kind, criteria: entry.values, comment: entry.comment)
            try record.insert(db)
            return nil
        }
    }

    /// Puts back the score a `saveScore` replaced, or deletes the score when there was none (undo).
    public func restoreScore(_ previous: ScoreEntry?, predictionID: Int64, scope: ReviewScope) throws {
        try pool.write { db in
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
    public func otherAnnotatorCount(predictionID: Int64, scope: ReviewScope) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM score
                WHERE prediction_id = ? AND rubric_id = ? AND kind = 'annotation' AND annotator_id != ?
                """, arguments: [predictionID, scope.rubricID, scope.annotatorID]) ?? 0
        }
    }

    /// The predictions in the runs whose item text contains `text` (case-insensitive for ASCII).
    public func predictionIDs(containing text: String, runIDs: [Int64]) throws -> Set<Int64> {
        try pool.read { db in
            Set(try Int64.fetchAll(db, sql: """
                SELECT prediction.id FROM prediction JOIN item ON item.id = prediction.item_id
                WHERE instr(lower(item.text), lower(?)) > 0 \(Self.runFilter(runIDs, where: false))
                """, arguments: StatementArguments([text]) + StatementArguments(runIDs)))
        }
    }

    /// The values of every score this annotator gave in the scope, for the score distribution.
    public func scoreValues(_ scope: ReviewScope) throws -> [[String: ScoreValue]] {
        try pool.read { db in
            let rows = try String.fetchAll(db, sql: """
                SELECT score.criteria FROM score JOIN prediction ON prediction.id = score.prediction_id
                WHERE score.annotator_id = ? AND score.rubric_id = ? AND score.kind = ? \(Self.runFilter(scope.runIDs, where: false))
                """, arguments: [scope.annotatorID, scope.rubricID, scope.kind.rawValue] + StatementArguments(scope.runIDs))
            return try rows.map { try Self.criteria($0) }
        }
    }

    /// Every annotation of the rubric version in the runs, grouped by prediction: the input of adjudication.
    public func annotationsByPrediction(rubricID: Int64, runIDs: [Int64]) throws -> [Int64: [[String: ScoreValue]]] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT score.prediction_id, score.criteria FROM score JOIN prediction ON prediction.id = score.prediction_id
                WHERE score.rubric_id = ? AND score.kind = 'annotation' \(Self.runFilter(runIDs, where: false))
                """, arguments: StatementArguments([rubricID]) + StatementArguments(runIDs))
            var grouped: [Int64: [[String: ScoreValue]]] = [:]
            for row in rows {
                grouped[row[0], default: []].append(try Self.criteria(row[1]))
            }
            return grouped
        }
    }

    private static func score(_ db: Database, predictionID: Int64, scope: ReviewScope) throws -> ScoreRecord? {
        try ScoreRecord.fetchOne(db, sql: """
            SELECT * FROM score WHERE prediction_id = ? AND annotator_id = ? AND rubric_id = ? AND kind = ?
            """, arguments: [predictionID, scope.annotatorID, scope.rubricID, scope.kind.rawValue])
    }

    private static func reviewPredictions(_ db: Database, condition: String, arguments: StatementArguments) throws -> [ReviewPrediction] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT prediction.id, prediction.run_id, prediction.item_id, item.position, item.text, item.gold_label,
                   prediction.label, prediction.parse_status, prediction.reasoning, prediction.raw_output,
                   model.name, model.quantization
            FROM prediction
            JOIN item ON item.id = prediction.item_id
            JOIN run ON run.id = prediction.run_id
            JOIN model ON model.id = run.model_id
            WHERE \(condition)
            ORDER BY prediction.run_id
            """, arguments: arguments)
        return try rows.map { row in
            let status: String = row[7]
            guard let parseStatus = PredictionRecord.ParseStatus(rawValue: status) else {
                throw AssayError("prediction \(row[0] as Int64): unknown parse_status '\(status)' in the database")
            }
            return ReviewPrediction(predictionID: row[0], runID: row[1], itemID: row[2], position: row[3], text: row[4],
                                    goldLabel: row[5], predictedLabel: row[6], parseStatus: parseStatus, reasoning: row[8],
                                    rawOutput: row[9], modelName: row[10], quantization: row[11])
        }
    }

    /// `AND prediction.run_id IN (?, ...)` (or `WHERE ...` as the first condition) for a non-empty
    /// run list, whose ids are then bound as arguments; nothing for an empty one.
    private static func runFilter(_ runIDs: [Int64], where isFirstCondition: Bool) -> String {
        guard !runIDs.isEmpty else { return "" }
        let placeholders = Array(repeating: "?", count: runIDs.count).joined(separator: ", ")
        return "\(isFirstCondition ? "WHERE" : "AND") prediction.run_id IN (\(placeholders))"
    }

    private static func kind(_ raw: String) throws -> ScoreRecord.Kind {
        guard let kind = ScoreRecord.Kind(rawValue: raw) else {
            throw AssayError("unknown score kind '\(raw)' in the database")
        }
        return kind
    }

    private static func criteria(_ json: String) throws -> [String: ScoreValue] {
        do {
            return try JSONDecoder().decode([String: ScoreValue].self, from: Data(json.utf8))
        } catch {
            throw AssayError("a stored score's criteria are not a JSON object of values: \(json.prefix(80))")
        }
    }
}
