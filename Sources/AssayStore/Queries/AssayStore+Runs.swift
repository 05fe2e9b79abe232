import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// The dataset's labels in the user's order.
    public func datasetLabels(named name: String) throws -> [String] {
        try reading { statements in try dataset(named: name, in: statements).labels }
    }

    /// The dataset's items in file order.
    public func items(ofDatasetNamed name: String) throws -> (dataset: DatasetRecord, items: [ItemRecord]) {
        try reading { statements in
            let record = try dataset(named: name, in: statements)
            let items = try statements.fetchAll(
                ItemRecord.self, "SELECT * FROM item WHERE dataset_id = ? ORDER BY position", [record.id.databaseValue])
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
        return try reading { statements in
            try statements.fetchOne(
                RunRecord.self,
                """
                SELECT * FROM run
                WHERE model_id = ? AND dataset_id = ? AND task_name = ? AND prompt_hash = ? AND mode = ?
                  AND hyperparameters = ? AND selection = ? AND status IN (\(unfinished.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
                ORDER BY id DESC LIMIT 1
                """,
                [
                    run.modelId.databaseValue, run.datasetId.databaseValue, run.taskName.databaseValue, run.promptHash.databaseValue,
                    run.mode.databaseValue, hyperparameters.databaseValue, selection.databaseValue,
                ])
        }
    }

    /// Stores a new run and returns it with its id.
    public func createRun(_ run: RunRecord) throws -> RunRecord {
        try writing { statements in try statements.inserted(run) }
    }

    public func run(id: RunID) throws -> RunRecord {
        try reading { statements in
            guard let record = try statements.fetchOne(RunRecord.self, "SELECT * FROM run WHERE id = ?", [id.databaseValue]) else {
                let newest: RunID? = try statements.value("SELECT MAX(id) FROM run")
                throw AssayError("no run \(id); \(newest.map { "runs are numbered 1 to \($0)" } ?? "no run exists yet")")
            }
            return record
        }
    }

    /// The items of `runID` that already have a prediction.
    public func predictedItemIDs(inRun runID: RunID) throws -> Set<ItemID> {
        try reading { statements in
            Set(
                try statements.rows("SELECT item_id FROM prediction WHERE run_id = ?", [runID.databaseValue]).map {
                    $0["item_id"] as ItemID
                })
        }
    }

    /// Every prediction of `runID`, in the order of its items' dataset rows.
    public func predictions(inRun runID: RunID) throws -> [PredictionRecord] {
        try reading { statements in
            try Self.decodingRow("a prediction of run \(runID)") {
                try statements.fetchAll(
                    PredictionRecord.self,
                    """
                    SELECT prediction.* FROM prediction JOIN item ON item.id = prediction.item_id
                    WHERE prediction.run_id = ? ORDER BY item.position
                    """, [runID.databaseValue])
            }
        }
    }

    /// Stores one batch of predictions and adds its measured seconds (and energy, when measured)
    /// to the run, in one transaction: a killed run loses at most the batch in flight.
    public func savePredictions(
        _ predictions: [PredictionRecord], runID: RunID, measuredSeconds: Double,
        energyKwh: Double? = nil
    ) throws {
        try writing { statements in
            for prediction in predictions {
                guard try statements.inserted(prediction, skippingConflictOn: "run_id, item_id") != nil else {
                    throw AssayError(
                        "run \(runID) already has a prediction for item \(prediction.itemId); is another `assay run` continuing the same run?"
                    )
                }
            }
            // Unmeasured energy leaves the column as it is (NULL stays "not measured").
            try statements.execute(
                "UPDATE run SET duration_seconds = COALESCE(duration_seconds, 0) + ?"
                    + (energyKwh == nil ? "" : ", energy_kwh = COALESCE(energy_kwh, 0) + ?") + " WHERE id = ?",
                [measuredSeconds.databaseValue] + (energyKwh.map { [$0.databaseValue] } ?? []) + [runID.databaseValue])
        }
    }

    /// Records how the run ended (or that it is running again).
    /// `batchSize`: the requests the session evaluated together (the embedded engine's batch, a
    /// server's concurrency), which changes the energy per query.
    public func setRunStatus(_ status: RunStatus, runID: RunID, threads: Int? = nil, batchSize: Int? = nil) throws {
        try writing { statements in
            try statements.execute(
                """
                UPDATE run SET status = ?, finished_at = ?, threads = COALESCE(?, threads),
                    batch_size = COALESCE(?, batch_size) WHERE id = ?
                """,
                [
                    status.databaseValue, status == .running ? .null : Date().databaseValue, threads.databaseValue,
                    batchSize.databaseValue, runID.databaseValue,
                ])
        }
    }

    /// Records where the run's inference runs (`EnergyScope`), before any of it is measured.
    public func setEnergyScope(_ scope: EnergyScope, runID: RunID) throws {
        try writing { statements in
            try statements.execute("UPDATE run SET energy_scope = ? WHERE id = ?", [scope.databaseValue, runID.databaseValue])
        }
    }

    /// Stores the run's energy provenance and carbon figures after a session of the run.
    public func recordCarbon(
        runID: RunID, method: EnergyMethod, constants: [String: EnergyConstant],
        factor: EmissionFactor, pue: Double, co2Grams: Double
    ) throws {
        try writing { statements in
            guard var run = try statements.fetchOne(RunRecord.self, "SELECT * FROM run WHERE id = ?", [runID.databaseValue]) else {
                throw AssayError("no run \(runID)")
            }
            run.energyMethod = method
            run.energyConstants = constants
            run.emissionFactor = factor.gramsPerKWh
            run.emissionFactorSource = factor.storedSource
            run.emissionRegion = factor.region
            run.pue = pue
            run.co2Grams = co2Grams
            try statements.update(
                run,
                columns: [
                    "energy_method", "energy_constants", "emission_factor", "emission_factor_source",
                    "emission_region", "pue", "co2_grams",
                ])
        }
    }

}
