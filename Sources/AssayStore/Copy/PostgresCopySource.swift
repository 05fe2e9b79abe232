/// A PostgreSQL study store read for a copy: migrated as every command opens it, then read inside
/// one repeatable-read, read-only transaction, so writes made during the copy change nothing it sees.
struct PostgresCopySource: StoreCopySource {
    private let session: PostgresSession

    static func open(_ address: PostgresAddress) async throws -> PostgresCopySource {
        let session = try await PostgresSession.connect(to: address)
        do {
            try await PostgresMigrations.migrate(session)
            try await session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        } catch {
            await session.close()
            throw error
        }
        return PostgresCopySource(session: session)
    }

    func tableNames() async throws -> Set<String> {
        try await session.tableNames()
    }

    func columns(of table: String) async throws -> [String] {
        try await session.columns(of: table)
    }

    func rowCount(of table: String) async throws -> Int {
        Int(try await session.rows("SELECT COUNT(*) FROM \(table)").first?.first?.integer ?? 0)
    }

    func rows(of table: CopiedTable, columns: [String], after key: [StoreCell]?, limit: Int) async throws -> [[StoreCell]] {
        try await session.rows(chunkQuery(table, columns: columns, after: key, limit: limit) { "$\($0)" }, key ?? [])
    }

    func close() async {
        try? await session.execute("COMMIT")
        await session.close()
    }
}
