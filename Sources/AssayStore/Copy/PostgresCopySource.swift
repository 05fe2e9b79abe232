/// A PostgreSQL study store read for a copy: migrated as every command opens it, then read inside
/// one repeatable-read, read-only transaction, so writes made during the copy change nothing it sees.
struct PostgresCopySource: StoreCopySource {
    private let session: PostgresSession

    static func open(_ address: PostgresAddress) throws -> PostgresCopySource {
        PostgresCopySource(
            session: try PostgresSession.connectMigrated(to: address, then: ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"]))
    }

    func tableNames() throws -> Set<String> {
        try session.tableNames()
    }

    func columns(of table: String) throws -> [String] {
        try session.columns(of: table)
    }

    func rowCount(of table: String) throws -> Int {
        Int(try session.rows("SELECT COUNT(*) FROM \(table)").first?.first?.integer ?? 0)
    }

    func rows(of table: CopiedTable, columns: [String], after key: [StoreCell]?, limit: Int) throws -> [[StoreCell]] {
        try session.rows(chunkQuery(table, columns: columns, after: key, limit: limit) { "$\($0)" }, key ?? [])
    }

    func close() {
        try? session.execute("COMMIT")
        session.close()
    }
}
