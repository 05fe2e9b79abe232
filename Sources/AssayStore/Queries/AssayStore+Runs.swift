import AssayCore
import Foundation
import GRDB

extension AssayStore {
    /// The dataset's labels in the user's order.
    public func datasetLabels(named name: String) throws -> [String] {
        try pool.read { db in try dataset(named: name, in: db).labels }
    }

    /// The dataset's items in file order.
    public func items(ofDatasetNamed name: String) throws -> (dataset: DatasetRecord, items: [ItemRecord]) {
        try pool.read { db in
            let record = try dataset(named: name, in: db)
            let items = try ItemRecord.filter(Column("dataset_id") == record.id).order(Column("position")).fetchAll(db)
            return (record, items)
        }
    }

    /// The newest unfinished run (running, interrupted or failed) with exactly this model, dataset,
    /// task, prompt, mode, hyperparameters and selection: re-running a command continues it.
    public func unfinishedRun(matching run: RunRecord) throws -> RunRecord? {
        try pool.read { db in
            try RunRecord
                .filter(Column("model_id") == run.modelId && Column("dataset_id") == run.datasetId)
                .filter(Column("task_name") == run.taskName && Column("prompt_hash") == run.promptHash)
                .filter(Column("mode") == run.mode && Column("hyperparameters") == run.hyperparameters)
                .filter(Column("selection") == run.selection)
                .filter(["running", "interrupted", "failed"].contains(Column("status")))
                .order(Column("id").desc)
                .fetchOne(db)
        }
    }

    /// Stores a new run and returns it with its id.
    public func createRun(_ run: RunRecord) throws -> RunRecord {
        try pool.write { db in
            var record = run
            try record.insert(db)
            return record
        }
    }

    public func run(id: Int64) throws -> RunRecord {
        try pool.read { db in
            guard let record = try RunRecord.fetchOne(db, key: id) else {
                let newest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM run")
                throw AssayError("no run \(id); \(newest.map { "runs are numbered 1 to \($0)" } ?? "no run exists yet")")
            }
            return record
        }
    }

    /// The items of `runID` that already have a prediction.
    public func predictedItemIDs(inRun runID: Int64) throws -> Set<Int64> {
        try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT item_id FROM prediction WHERE run_id = ?", arguments: [runID]))
        }
    }

    /// Stores one batch of predictions and adds its measured seconds (and energy, when measured)
    /// to the run, in one transaction: a killed run loses at most the batch in flight.
    public func savePredictions(_ predictions: [PredictionRecord], runID: Int64, measuredSeconds: Double,
                                energyKwh: Double? = nil) throws {
        try pool.write { db in
            for var prediction in predictions {
                do {
                    try prediction.insert(db)
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    throw AssayError("run \(runID) already has a prediction for item \(prediction.itemId); is another `assay run` continuing the same run?")
                }
            }
            try db.execute(sql: """
                UPDATE run SET duration_seconds = COALESCE(duration_seconds, 0) + ?,
                               energy_kwh = CASE WHEN ? IS NULL THEN energy_kwh ELSE COALESCE(energy_kwh, 0) + ? END
                WHERE id = ?
                """, arguments: [measuredSeconds, energyKwh, energyKwh, runID])
        }
    }

    /// Records how the run ended (or that it is running again).
    public func setRunStatus(_ status: RunRecord.Status, runID: Int64, threads: Int? = nil) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE run SET status = ?, finished_at = ?, threads = COALESCE(?, threads) WHERE id = ?
                """, arguments: [status.rawValue, status == .running ? nil : Date(), threads, runID])
        }
    }

    /// Records where the run's inference runs (`EnergyScope`), before any of it is measured.
    public func setEnergyScope(_ scope: String, runID: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET energy_scope = ? WHERE id = ?", arguments: [scope, runID])
        }
    }

    /// Stores the run's energy provenance and carbon figures after a session of the run.
    public func recordCarbon(runID: Int64, method: String, constantsJSON: String, emissionFactor: Double,
                             emissionFactorSource: String, region: String, pue: Double, co2Grams: Double) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE run SET energy_method = ?, energy_constants = ?, emission_factor = ?, emission_factor_source = ?,
                               emission_region = ?, pue = ?, co2_grams = ?
                WHERE id = ?
                """, arguments: [method, constantsJSON, emissionFactor, emissionFactorSource, region, pue, co2Grams, runID])
        }
    }
}
