import AssayCore
import GRDB

extension AssayStore {
    /// Each endpoint's part of a run, for the endpoints that answered at least once; empty for a run
    /// whose predictions name no endpoint (the embedded engine, one server, imported predictions).
    public func endpointTallies(runID: RunID) throws -> [EndpointTally] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT endpoint, COUNT(*) AS predictions, TOTAL(latency_seconds) AS seconds,
                           CASE WHEN COUNT(energy_kwh) = COUNT(*) THEN TOTAL(energy_kwh) END AS energy
                    FROM prediction WHERE run_id = ? AND endpoint IS NOT NULL
                    GROUP BY endpoint
                    """, arguments: [runID]
            ).map { row in
                EndpointTally(
                    endpoint: row["endpoint"], predictions: row["predictions"], requestSeconds: row["seconds"], energyKwh: row["energy"])
            }
        }
    }
}
