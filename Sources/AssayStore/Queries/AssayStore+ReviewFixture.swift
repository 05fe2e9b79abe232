import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// Fills the database with a generated study for the review benchmark and tests: one dataset of
    /// `items` labelled texts, one run per model over all of them (so `compare` has a before/after
    /// pair), and, when `annotations` is given, scores by that many generated annotators on every
    /// tenth prediction (values 1-5 on each named criterion). One transaction with prepared
    /// statements. Returns the run ids.
    ///
    /// Gold labels cycle positive, negative, neutral; every fourth prediction disagrees with its gold label.
    @discardableResult
    public func insertReviewFixture(
        items: Int, models: [(name: String, quantization: String)],
        annotations: (annotators: Int, rubricID: RubricID, criteria: [String])? = nil
    ) throws -> [RunID] {
        let labels = ["positive", "negative", "neutral"]
        return try database.write { db in
            let suffix = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dataset") ?? 0
            var dataset = DatasetRecord(
                name: "generated-\(suffix + 1)", sourcePath: "(generated)", format: .csv, textColumn: "text",
                labelColumn: "label", labels: labels, contentHash: "generated-\(suffix + 1)")
            let datasetID = try dataset.insertReturningID(db)
            let insertItem = try db.makeStatement(
                sql: "INSERT INTO item (dataset_id, position, text, gold_label, text_hash) VALUES (?, ?, ?, ?, ?)")
            var itemIDs: [ItemID] = []
            itemIDs.reserveCapacity(items)
            for position in stride(from: 1, through: items, by: 1) {
                let text =
                    "Item \(position): the company reported quarterly results, with operating profit at EUR \(position % 97).\(position % 10) mn against a year earlier, and said demand stayed firm."
                try insertItem.execute(arguments: [datasetID, position, text, labels[(position - 1) % 3], SHA256.hex(of: Array(text.utf8))])
                itemIDs.append(ItemID(db.lastInsertedRowID))
            }
            let annotatorIDs = try (0..<(annotations?.annotators ?? 0)).map { index -> AnnotatorID in
                var annotator = AnnotatorRecord(name: "generated-annotator-\(suffix + 1)-\(index + 1)")
                return try annotator.insertReturningID(db)
            }
            let insertPrediction = try db.makeStatement(
                sql: """
                    INSERT INTO prediction (run_id, item_id, label, reasoning, raw_output, parse_status, created_at)
                    VALUES (?, ?, ?, ?, ?, 'parsed', ?)
                    """)
            let insertScore = try db.makeStatement(
                sql: """
                    INSERT INTO score (prediction_id, annotator_id, rubric_id, kind, criteria, comment, created_at, updated_at)
                    VALUES (?, ?, ?, 'annotation', ?, NULL, ?, ?)
                    """)
            let now = Date()
            var runIDs: [RunID] = []
            for model in models {
                var modelRecord = ModelRecord(
                    name: "\(model.name)-\(suffix + 1)", backend: .imported, reference: model.name, quantization: model.quantization)
                let modelID = try modelRecord.insertReturningID(db)
                var run = RunRecord(
                    modelId: modelID, datasetId: datasetID, taskName: "sentiment", taskDefinition: "(generated)",
                    promptTemplate: "{text}", promptHash: "generated", mode: .imported,
                    hyperparameters: Hyperparameters(), selection: RunSelection(), status: .completed,
                    host: "generated")
                let runID = try run.insertReturningID(db)
                runIDs.append(runID)
                for (index, itemID) in itemIDs.enumerated() {
                    let gold = labels[index % 3]
                    let label = index % 4 == 3 ? labels[(index + 1) % 3] : gold
                    let reasoning =
                        "The text reports operating profit and firm demand, which reads as \(label) for investors; no hedging words change that."
                    try insertPrediction.execute(arguments: [runID, itemID, label, reasoning, "\(label). \(reasoning)", now])
                    let predictionID = db.lastInsertedRowID
                    if let annotations, index % 10 == 0 {
                        for (offset, annotatorID) in annotatorIDs.enumerated() {
                            let values = annotations.criteria.enumerated().map { "\"\($1)\":\(1 + (index + offset * ($0 + 1)) % 5)" }
                            try insertScore.execute(arguments: [
                                predictionID, annotatorID, annotations.rubricID,
                                "{\(values.joined(separator: ","))}", now, now,
                            ])
                        }
                    }
                }
            }
            return runIDs
        }
    }

    /// The database's journal mode (wal for every Assay database), for benchmark reports.
    public func journalMode() throws -> String {
        guard !isPostgres else { return "postgresql" }
        return try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown" }
    }

    /// How many bytes the database takes: the SQLite file's pages, or PostgreSQL's whole database.
    public func sizeInBytes() throws -> Int64 {
        try reading { statements in
            try statements.value(
                isPostgres
                    ? "SELECT pg_database_size(current_database())"
                    : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0
        }
    }
}
