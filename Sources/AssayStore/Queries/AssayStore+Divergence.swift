import AssayCore
import GRDB

extension AssayStore {
    /// Stores one measurement with its items' figures (none for a text), in one transaction, and
    /// returns it with its id: a measurement is stored whole or not at all.
    public func saveDivergence(_ record: DivergenceRecord, items: [ItemDivergenceRecord] = []) throws -> DivergenceRecord {
        try database.write { db in
            let saved = try record.inserted(db)
            for var item in items {
                item.divergenceId = try saved.storedID()
                try item.insert(db)
            }
            return saved
        }
    }

    /// Every measurement on a text of the model file `modelSha256` against the base file
    /// `baseSha256`, newest first (the measurements over a pair of runs' items are `itemDivergence`'s).
    public func divergences(baseSha256: String, modelSha256: String) throws -> [DivergenceRecord] {
        try database.read { db in
            try Self.decodingRow("a row of the divergence table") {
                try DivergenceRecord.filter(
                    Column("base_sha256") == baseSha256 && Column("model_sha256") == modelSha256 && Column("dataset_id") == nil
                )
                .order(Column("id").desc).fetchAll(db)
            }
        }
    }

    /// The newest measurement over the items of run `baseRun` (the base model's) and run
    /// `modelRun`, with each item's figures; nil when none was made.
    public func itemDivergence(baseRun: RunID, modelRun: RunID) throws -> RunPairDivergence? {
        try database.read { db in
            try Self.decodingRow("a row of the divergence or item_divergence table") {
                guard
                    let record = try DivergenceRecord.filter(Column("base_run_id") == baseRun && Column("model_run_id") == modelRun)
                        .order(Column("id").desc).fetchOne(db)
                else { return nil }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT item.position AS item_position, item_divergence.* FROM item_divergence
                        JOIN item ON item.id = item_divergence.item_id
                        WHERE item_divergence.divergence_id = ? ORDER BY item.position
                        """, arguments: [record.id])
                let items = try rows.map { row in
                    RunPairDivergence.Item(row: row["item_position"], figures: try ItemDivergenceRecord(row: row))
                }
                return RunPairDivergence(divergence: record, items: items)
            }
        }
    }
}
