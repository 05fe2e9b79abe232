import AssayCore
import Foundation
import GRDB

extension AssayStore {
    /// Every prediction of `runID` (or of every run), ordered by run and dataset row.
    public func predictionExportRows(runID: Int64?) throws -> [PredictionExportRow] {
        try pool.read { db in
            if let runID, try RunRecord.fetchOne(db, key: runID) == nil {
                throw AssayError("no run \(runID); list runs with assay predictions export (all runs) or check the number")
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.run_id, m.name, d.name, r.mode, p.item_id, i.position, i.text, i.gold_label, p.label,
                       p.parse_status, p.reasoning, p.raw_output, p.prompt_tokens, p.completion_tokens,
                       p.latency_seconds, p.energy_kwh, p.backend_timings
                FROM prediction p
                JOIN run r ON r.id = p.run_id
                JOIN model m ON m.id = r.model_id
                JOIN dataset d ON d.id = r.dataset_id
                JOIN item i ON i.id = p.item_id
                WHERE ? IS NULL OR p.run_id = ?
                ORDER BY p.run_id, i.position
                """, arguments: [runID, runID])
            var result: [PredictionExportRow] = []
            while let row = try rows.next() {
                result.append(PredictionExportRow(
                    runId: row[0], model: row[1], dataset: row[2], mode: row[3], itemId: row[4], row: row[5], text: row[6],
                    goldLabel: row[7], label: row[8], parseStatus: row[9], reasoning: row[10], rawOutput: row[11],
                    promptTokens: row[12], completionTokens: row[13], latencySeconds: row[14], energyKwh: row[15],
                    backendTimings: row[16]))
            }
            return result
        }
    }

    /// Stores predictions made elsewhere as one completed run of mode "imported", in one
    /// transaction. Items are matched by row or by exact text; when the dataset repeats a text, the
    /// k-th prediction for it goes to the k-th item with that text. A model name not registered yet
    /// becomes an imported model. The same file imported again for the same model is refused.
    public func importPredictions(_ predictions: [ExternalPrediction], modelName: String, datasetName: String,
                                  sourcePath: String, sourceSHA256: String, description: String,
                                  host: String) throws -> PredictionImportOutcome {
        try pool.write { db in
            let dataset = try dataset(named: datasetName, in: db)
            var modelCreated = false
            var model: ModelRecord
            if let existing = try ModelRecord.filter(Column("name") == modelName).fetchOne(db) {
                model = existing
            } else {
                model = ModelRecord(name: modelName, backend: .imported, reference: sourcePath)
                try model.insert(db)
                modelCreated = true
            }
            let selection = "{\"imported_from\":\(Self.jsonString(sourcePath)),\"sha256\":\"\(sourceSHA256)\"}"
            if let earlier = try Int64.fetchOne(db, sql: """
                SELECT id FROM run WHERE model_id = ? AND dataset_id = ? AND mode = 'imported' AND prompt_hash = ?
                """, arguments: [model.id, dataset.id, sourceSHA256]) {
                throw AssayError("\(sourcePath) (same content) is already imported for model '\(modelName)' as run \(earlier); nothing was stored")
            }
            var run = RunRecord(modelId: model.id ?? 0, datasetId: dataset.id ?? 0, taskName: "imported",
                                taskDefinition: description, promptTemplate: "", promptHash: sourceSHA256, mode: "imported",
                                hyperparameters: "{}", selection: selection, status: .completed, finishedAt: Date(), host: host)
            try run.insert(db)
            let runID = run.id ?? 0

            var byRow: [Int: Int64] = [:]
            var byText: [String: [Int64]] = [:]
            let items = try Row.fetchCursor(db, sql: "SELECT id, position, text FROM item WHERE dataset_id = ? ORDER BY position",
                                            arguments: [dataset.id])
            while let item = try items.next() {
                let id: Int64 = item[0]
                byRow[item[1]] = id
                byText[item[2], default: []].append(id)
            }
            var used = Set<Int64>()
            var unmatched: [Int] = []
            var duplicates: [Int] = []
            var nextOccurrence: [String: Int] = [:]   // per text: which of its items the next row gets
            let insert = try db.makeStatement(sql: """
                INSERT INTO prediction (run_id, item_id, label, reasoning, raw_output, parse_status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let now = Date()
            for prediction in predictions {
                let itemID: Int64?
                switch prediction.key {
                case .row(let row):
                    itemID = byRow[row]
                case .text(let text):
                    let candidates = byText[text] ?? []
                    let occurrence = nextOccurrence[text, default: 0]
                    nextOccurrence[text] = occurrence + 1
                    itemID = candidates.isEmpty ? nil : (occurrence < candidates.count ? candidates[occurrence] : candidates[0])
                }
                guard let itemID else { unmatched.append(prediction.sourceRow); continue }
                guard used.insert(itemID).inserted else { duplicates.append(prediction.sourceRow); continue }
                try insert.execute(arguments: [runID, itemID, prediction.label, prediction.reasoning, prediction.rawOutput,
                                               prediction.parseStatus.rawValue, now])
            }
            return PredictionImportOutcome(runId: runID, modelCreated: modelCreated, stored: used.count,
                                           unmatchedRows: unmatched, duplicateRows: duplicates)
        }
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
