import AssayCore
import GRDB

extension AssayStore {
    /// Stores one measurement with its items' figures (none for a text), in one transaction, and
    /// returns it with its id: a measurement is stored whole or not at all.
    public func saveDivergence(_ record: DivergenceRecord, items: [ItemDivergenceRecord] = []) throws -> DivergenceRecord {
        try writing { statements in
            let saved = try statements.inserted(record)
            for var item in items {
                item.divergenceId = try saved.storedID()
                try statements.insert(item)
            }
            return saved
        }
    }

    /// Every measurement on a text of the model file `modelSha256` against the base file
    /// `baseSha256`, newest first (the measurements over a pair of runs' items are `itemDivergence`'s).
    public func divergences(baseSha256: String, modelSha256: String) throws -> [DivergenceRecord] {
        try reading { statements in
            try Self.decodingRow("a row of the divergence table") {
                try statements.fetchAll(
                    DivergenceRecord.self,
                    "SELECT * FROM divergence WHERE base_sha256 = ? AND model_sha256 = ? AND dataset_id IS NULL ORDER BY id DESC",
                    [baseSha256.databaseValue, modelSha256.databaseValue])
            }
        }
    }

    /// The newest measurement over the items of run `baseRun` (the base model's) and run
    /// `modelRun`, with each item's figures; nil when none was made.
    public func itemDivergence(baseRun: RunID, modelRun: RunID) throws -> RunPairDivergence? {
        try reading { statements in
            try Self.decodingRow("a row of the divergence or item_divergence table") {
                guard
                    let record = try statements.fetchOne(
                        DivergenceRecord.self,
                        "SELECT * FROM divergence WHERE base_run_id = ? AND model_run_id = ? ORDER BY id DESC LIMIT 1",
                        [baseRun.databaseValue, modelRun.databaseValue])
                else { return nil }
                let rows = try statements.rows(
                    """
                    SELECT item.position AS item_position, item_divergence.* FROM item_divergence
                    JOIN item ON item.id = item_divergence.item_id
                    WHERE item_divergence.divergence_id = ? ORDER BY item.position
                    """, [record.id.databaseValue])
                let items = try rows.map { row in
                    RunPairDivergence.Item(row: row["item_position"], figures: try ItemDivergenceRecord(row: row))
                }
                return RunPairDivergence(divergence: record, items: items)
            }
        }
    }
}
