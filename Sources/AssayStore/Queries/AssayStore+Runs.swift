import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// The dataset's labels in the user's order.
    public func datasetLabels(named name: String) throws -> [String] {
        try database.read { db in try dataset(named: name, in: db).labels }
    }

    /// The dataset's items in file order.
    public func items(ofDatasetNamed name: String) throws -> (dataset: DatasetRecord, items: [ItemRecord]) {
        try database.read { db in
            let record = try dataset(named: name, in: db)
            let items = try ItemRecord.filter(Column("dataset_id") == record.id).order(Column("position")).fetchAll(db)
            return (record, items)
        }
    }

    /// The newest unfinished run (running, interrupted or failed) with exactly this model, dataset,
    /// task, prompt, mode, hyperparameters and selection: re-running a command continues it.
    public func unfinishedRun(matching run: RunRecord) throws -> RunRecord? {
        let unfinished: [RunStatus] = [.running, .interrupted, .failed]
        // The JSON columns hold GRDB's encoding of the values; compare with the same encoder's text.
        let hyperparameters = String(
            decoding: try RunRecord.databaseJSONEncoder(for: "hyperparameters").encode(run.hyperparameters), as: UTF8.self)
        let selection = String(decoding: try RunRecord.databaseJSONEncoder(for: "selection").encode(run.selection), as: UTF8.self)
        return try database.read { db in
            try RunRecord
                .filter(Column("model_id") == run.modelId)
                .filter(Column("dataset_id") == run.datasetId)
                .filter(Column("task_name") == run.taskName)
                .filter(Column("prompt_hash") == run.promptHash)
                .filter(Column("mode") == run.mode)
                .filter(Column("hyperparameters") == hyperparameters)
                .filter(Column("selection") == selection)
                .filter(unfinished.contains(Column("status")))
                .order(Column("id").desc)
                .fetchOne(db)
        }
    }

    /// Stores a new run and returns it with its id.
    public func createRun(_ run: RunRecord) throws -> RunRecord {
        try database.write { db in try run.inserted(db) }
    }

    public func run(id: RunID) throws -> RunRecord {
        try database.read { db in
            guard let record = try RunRecord.fetchOne(db, key: id) else {
                let newest = try RunID.fetchOne(db, sql: "SELECT MAX(id) FROM run")
                throw AssayError("no run \(id); \(newest.map { "runs are numbered 1 to \($0)" } ?? "no run exists yet")")
            }
            return record
        }
    }

    /// The items of `runID` that already have a prediction.
    public func predictedItemIDs(inRun runID: RunID) throws -> Set<ItemID> {
        try database.read { db in
            Set(try ItemID.fetchAll(db, sql: "SELECT item_id FROM prediction WHERE run_id = ?", arguments: [runID]))
        }
    }

    /// Every prediction of `runID`, in the order of its items' dataset rows.
    public func predictions(inRun runID: RunID) throws -> [PredictionRecord] {
        try database.read { db in
            try Self.decodingRow("a prediction of run \(runID)") {
                try PredictionRecord.fetchAll(
                    db,
                    sql: """
                        SELECT prediction.* FROM prediction JOIN item ON item.id = prediction.item_id
                        WHERE prediction.run_id = ? ORDER BY item.position
                        """, arguments: [runID])
            }
        }
    }

    /// Stores one batch of predictions and adds its measured seconds (and energy, when measured)
    /// to the run, in one transaction: a killed run loses at most the batch in flight.
    public func savePredictions(
        _ predictions: [PredictionRecord], runID: RunID, measuredSeconds: Double,
        energyKwh: Double? = nil
    ) throws {
        try database.write { db in
            for var prediction in predictions {
                do {
                    try prediction.insert(db)
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    throw AssayError(
                        "run \(runID) already has a prediction for item \(prediction.itemId); is another `assay run` continuing the same run?"
                    )
                }
            }
            try db.execute(
                sql: """
                    UPDATE run SET duration_seconds = COALESCE(duration_seconds, 0) + ?,
                                   energy_kwh = CASE WHEN ? IS NULL THEN energy_kwh ELSE COALESCE(energy_kwh, 0) + ? END
                    WHERE id = ?
                    """, arguments: [measuredSeconds, energyKwh, energyKwh, runID])
        }
    }

    /// Records how the run ended (or that it is running again).
    /// `batchSize`: the requests the session evaluated together (the embedded engine's batch, a
    /// server's concurrency), which changes the energy per query.
    public func setRunStatus(_ status: RunStatus, runID: RunID, threads: Int? = nil, batchSize: Int? = nil) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE run SET status = ?, finished_at = ?, threads = COALESCE(?, threads),
                        batch_size = COALESCE(?, batch_size) WHERE id = ?
                    """, arguments: [status, status == .running ? nil : Date(), threads, batchSize, runID])
        }
    }

    /// Records where the run's inference runs (`EnergyScope`), before any of it is measured.
    public func setEnergyScope(_ scope: EnergyScope, runID: RunID) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE run SET energy_scope = ? WHERE id = ?", arguments: [scope, runID])
        }
    }

    /// Stores the run's energy provenance and carbon figures after a session of the run.
    public func recordCarbon(
        runID: RunID, method: EnergyMethod, constants: [String: EnergyConstant],
        factor: EmissionFactor, pue: Double, co2Grams: Double
    ) throws {
        try database.write { db in
            guard var run = try RunRecord.fetchOne(db, key: runID) else { throw AssayError("no run \(runID)") }
            run.energyMethod = method
            run.energyConstants = constants
            run.emissionFactor = factor.gramsPerKWh
            run.emissionFactorSource = factor.storedSource
            run.emissionRegion = factor.region
            run.pue = pue
            run.co2Grams = co2Grams
            try run.update(
                db,
                columns: [
                    "energy_method", "energy_constants", "emission_factor", "emission_factor_source",
                    "emission_region", "pue", "co2_grams",
                ])
        }
    }

}
