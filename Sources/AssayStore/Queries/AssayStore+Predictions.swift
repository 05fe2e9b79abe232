import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// Every prediction of `runID` (or of every run), ordered by run and dataset row.
    public func predictionExportRows(runID: RunID?) throws -> [PredictionExportRow] {
        try reading { statements in
            if let runID, try statements.rows("SELECT id FROM run WHERE id = ?", [runID.databaseValue]).isEmpty {
                throw AssayError("no run \(runID); list runs with assay predictions export (all runs) or check the number")
            }
            let rows = try statements.rows(
                """
                SELECT p.run_id, m.name AS model, d.name AS dataset, r.mode, p.item_id, i.position, i.text, i.gold_label, p.label,
                       p.parse_status, p.reasoning, p.raw_output, p.prompt_tokens, p.completion_tokens,
                       p.latency_seconds, p.energy_kwh, p.backend_timings, p.outcome, p.endpoint
                FROM prediction p
                JOIN run r ON r.id = p.run_id
                JOIN model m ON m.id = r.model_id
                JOIN dataset d ON d.id = r.dataset_id
                JOIN item i ON i.id = p.item_id
                \(runID == nil ? "" : "WHERE p.run_id = ?")
                ORDER BY p.run_id, i.position
                """, runID.map { [$0.databaseValue] } ?? [])
            return rows.map { row in
                PredictionExportRow(
                    runId: row["run_id"], model: row["model"], dataset: row["dataset"], mode: row["mode"], itemId: row["item_id"],
                    row: row["position"], text: row["text"], goldLabel: row["gold_label"], label: row["label"],
                    parseStatus: row["parse_status"], reasoning: row["reasoning"], rawOutput: row["raw_output"],
                    promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"],
                    latencySeconds: row["latency_seconds"], energyKwh: row["energy_kwh"], backendTimings: row["backend_timings"],
                    outcome: row["outcome"], endpoint: row["endpoint"])
            }
        }
    }

    /// Stores predictions made elsewhere as one completed run of mode "imported", in one
    /// transaction. Items are matched by row or by exact text; when the dataset repeats a text, the
    /// k-th prediction for it goes to the k-th item with that text. A model name not registered yet
    /// becomes an imported model. The same file imported again for the same model is refused.
    public func importPredictions(
        _ predictions: [ExternalPrediction], modelName: String, datasetName: String,
        sourcePath: String, sourceSHA256: String, description: String,
        host: String
    ) throws -> PredictionImportOutcome {
        try writing { statements in
            let dataset = try dataset(named: datasetName, in: statements)
            var modelCreated = false
            var model: ModelRecord
            if let existing = try statements.fetchOne(ModelRecord.self, "SELECT * FROM model WHERE name = ?", [modelName.databaseValue]) {
                model = existing
            } else {
                model = try statements.inserted(ModelRecord(name: modelName, backend: .imported, reference: sourcePath))
                modelCreated = true
            }
            let modelID = try model.storedID()
            let datasetID = try dataset.storedID()
            if let earlier: RunID = try statements.value(
                "SELECT id FROM run WHERE model_id = ? AND dataset_id = ? AND mode = ? AND prompt_hash = ?",
                [modelID.databaseValue, datasetID.databaseValue, RunMode.imported.databaseValue, sourceSHA256.databaseValue])
            {
                throw AssayError(
                    "\(sourcePath) (same content) is already imported for model '\(modelName)' as run \(earlier); nothing was stored")
            }
            let run = RunRecord(
                modelId: modelID, datasetId: datasetID, taskName: "imported",
                taskDefinition: description, promptTemplate: "", promptHash: sourceSHA256, mode: .imported,
                hyperparameters: Hyperparameters(), selection: .imported(from: sourcePath, sha256: sourceSHA256),
                status: .completed, finishedAt: Date(), host: host)
            let runID = try statements.inserted(run).storedID()

            var byRow: [Int: ItemID] = [:]
            var byText: [String: [ItemID]] = [:]
            for item in try statements.rows(
                "SELECT id, position, text FROM item WHERE dataset_id = ? ORDER BY position", [datasetID.databaseValue])
            {
                let id: ItemID = item["id"]
                byRow[item["position"]] = id
                byText[item["text"], default: []].append(id)
            }
            var used = Set<ItemID>()
            var unmatched: [Int] = []
            var duplicates: [Int] = []
            var nextOccurrence: [String: Int] = [:]  // per text: which of its items the next row gets
            let now = Date()
            for prediction in predictions {
                let itemID: ItemID?
                switch prediction.key {
                case .row(let row):
                    itemID = byRow[row]
                case .text(let text):
                    let candidates = byText[text] ?? []
                    let occurrence = nextOccurrence[text, default: 0]
                    nextOccurrence[text] = occurrence + 1
                    itemID = candidates.isEmpty ? nil : (occurrence < candidates.count ? candidates[occurrence] : candidates[0])
                }
                guard let itemID else {
                    unmatched.append(prediction.sourceRow)
                    continue
                }
                guard used.insert(itemID).inserted else {
                    duplicates.append(prediction.sourceRow)
                    continue
                }
                try statements.execute(
                    """
                    INSERT INTO prediction (run_id, item_id, label, reasoning, raw_output, parse_status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        runID.databaseValue, itemID.databaseValue, prediction.label.databaseValue, prediction.reasoning.databaseValue,
                        prediction.rawOutput.databaseValue, prediction.parseStatus.databaseValue, now.databaseValue,
                    ])
            }
            return PredictionImportOutcome(
                runId: runID, modelCreated: modelCreated, stored: used.count,
                unmatchedRows: unmatched, duplicateRows: duplicates)
        }
    }
}
