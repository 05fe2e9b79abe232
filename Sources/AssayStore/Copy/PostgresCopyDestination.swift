import AssaySupport

/// An empty PostgreSQL study store filled by a copy: migrated, then written in one transaction
/// that other sessions see whole or not at all, with the score-history trigger off while the
/// copied history goes in and each identity sequence moved past the copied ids before it commits.
struct PostgresCopyDestination: StoreCopyDestination {
    private let session: PostgresSession

    static func open(_ address: PostgresAddress) throws -> PostgresCopyDestination {
        let session = try PostgresSession.connectMigrated(to: address, then: ["BEGIN"])
        do {
            for table in CopiedTable.all {
                // The lock keeps annotators from writing while the copy fills the tables.
                try session.execute("LOCK TABLE \(table.name) IN EXCLUSIVE MODE")
                if try !session.rows("SELECT 1 FROM \(table.name) LIMIT 1").isEmpty {
                    throw AssayError(
                        "\(address) already holds a study (table \(table.name) has rows); copy into an empty database, for example one made with createdb"
                    )
                }
            }
            try session.execute("ALTER TABLE score DISABLE TRIGGER score_history_on_change")
        } catch {
            try? session.execute("ROLLBACK")
            session.close()
            throw error
        }
        return PostgresCopyDestination(session: session)
    }

    func columns(of table: String) throws -> [String] {
        try session.columns(of: table)
    }

    func insert(_ rows: [[StoreCell]], into table: CopiedTable, columns: [String]) throws {
        // A statement takes at most 65,535 parameters.
        let rowsPerStatement = max(1, min(1000, 65_535 / max(1, columns.count)))
        var start = rows.startIndex
        while start < rows.endIndex {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.endIndex)]
            let values = chunk.indices.map { rowIndex in
                let first = (rowIndex - start) * columns.count
                return "(" + columns.indices.map { "$\(first + $0 + 1)" }.joined(separator: ", ") + ")"
            }
            try session.execute(
                "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", "))",
                chunk.flatMap { $0 })
            start = chunk.endIndex
        }
    }

    func commit() throws {
        try session.execute("ALTER TABLE score ENABLE TRIGGER score_history_on_change")
        for table in CopiedTable.all where table.hasIdentity {
            try session.execute(
                "SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), COALESCE((SELECT MAX(id) FROM \(table.name)), 0) + 1, false)"
            )
        }
        try session.execute("COMMIT")
        session.close()
    }

    func discard() {
        try? session.execute("ROLLBACK")
        session.close()
    }
}
