/// One step of the schema: its recorded identifier, the tables, columns and indexes it adds (in
/// SQLite's SQL, which `PostgresMigrations` translates), and its triggers in each store's own
/// language.
struct SchemaMigration: Sendable {
    let identifier: String
    let tables: String
    let sqliteTriggers: String?
    /// One statement per element: the extended protocol runs one statement per query.
    let postgresTriggers: [String]

    init(_ identifier: String, _ tables: String, sqliteTriggers: String? = nil, postgresTriggers: [String] = []) {
        self.identifier = identifier
        self.tables = tables
        self.sqliteTriggers = sqliteTriggers
        self.postgresTriggers = postgresTriggers
    }
}
