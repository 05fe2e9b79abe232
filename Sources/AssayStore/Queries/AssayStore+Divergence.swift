import AssayCore
import GRDB

extension AssayStore {
    /// Stores one measurement and returns it with its id.
    public func saveDivergence(_ record: DivergenceRecord) throws -> DivergenceRecord {
        try database.write { db in try record.inserted(db) }
    }

    /// Every measurement of the model file `modelSha256` against the base file `baseSha256`, newest first.
    public func divergences(baseSha256: String, modelSha256: String) throws -> [DivergenceRecord] {
        try database.read { db in
            try Self.decodingRow("a row of the divergence table") {
                try DivergenceRecord.filter(Column("base_sha256") == baseSha256 && Column("model_sha256") == modelSha256)
                    .order(Column("id").desc).fetchAll(db)
            }
        }
    }
}
