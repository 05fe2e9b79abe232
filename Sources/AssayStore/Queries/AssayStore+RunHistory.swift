import AssayCore
import GRDB

extension AssayStore {
    /// The newest run of `modelName` over `datasetName` in `mode` with the given status, if any:
    /// lets a workflow that is run again reuse finished work instead of repeating it.
    public func latestRun(
        modelName: String, datasetName: String, mode: RunMode,
        status: RunStatus = .completed
    ) throws -> RunRecord? {
        try reading { statements in
            try statements.fetchOne(
                RunRecord.self,
                """
                SELECT run.* FROM run
                JOIN model ON model.id = run.model_id
                JOIN dataset ON dataset.id = run.dataset_id
                WHERE model.name = ? AND dataset.name = ? AND run.mode = ? AND run.status = ?
                ORDER BY run.id DESC LIMIT 1
                """, [modelName.databaseValue, datasetName.databaseValue, mode.databaseValue, status.databaseValue])
        }
    }
}
