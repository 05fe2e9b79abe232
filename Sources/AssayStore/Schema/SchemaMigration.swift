/// One step of the schema: its recorded identifier, the tables, columns and indexes it adds (in
/// SQLite's SQL, which `PostgresMigrations` translates), and any SQLite triggers.
struct SchemaMigration: Sendable {
    let identifier: String
    let tables: String
    let sqliteTriggers: String?

    init(_ identifier: String, _ tables: String, sqliteTriggers: String? = nil) {
        self.identifier = identifier
        self.tables = tables
        self.sqliteTriggers = sqliteTriggers
    }
}
