/// A table `assay db copy` moves: every table of the schema, listed parents first so that each
/// row's foreign keys point at rows already copied, with the columns that order its rows.
struct CopiedTable: Sendable {
    let name: String
    /// The primary key: the copy reads in its order, one chunk after the last key read.
    let key: [String]

    /// Whether the table's key is an identity column whose sequence must move past the copied ids.
    var hasIdentity: Bool { key == ["id"] }

    static let all: [CopiedTable] =
        [
            "dataset", "item", "model", "run", "prediction", "annotator", "rubric", "score", "score_history", "divergence",
        ].map { CopiedTable(name: $0, key: ["id"]) } + [CopiedTable(name: "item_divergence", key: ["divergence_id", "item_id"])]

    /// The schema's bookkeeping, which each store writes for itself as it migrates.
    static let migrationsTable = "grdb_migrations"
}
