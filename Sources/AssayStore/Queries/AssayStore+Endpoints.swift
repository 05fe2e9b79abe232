import AssayCore
import GRDB

extension AssayStore {
    /// Each endpoint's part of a run, for the endpoints that answered at least once; empty for a run
    /// whose predictions name no endpoint (the embedded engine, one server, imported predictions).
    public func endpointTallies(runID: RunID) throws -> [EndpointTally] {
        try reading { statements in
            try statements.rows(
                """
                SELECT endpoint, COUNT(*) AS predictions, COALESCE(SUM(latency_seconds), 0.0) AS seconds,
                       CASE WHEN COUNT(energy_kwh) = COUNT(*) THEN SUM(energy_kwh) END AS energy
                FROM prediction WHERE run_id = ? AND endpoint IS NOT NULL
                GROUP BY endpoint
                """, [runID.databaseValue]
            ).map { row in
                EndpointTally(
                    endpoint: row["endpoint"], predictions: row["predictions"], requestSeconds: row["seconds"], energyKwh: row["energy"])
            }
        }
    }
}
