import AssayStore

/// Which study store a parameterised test runs on: SQLite always, PostgreSQL where a server
/// answers (see TestPostgres) and always in CI.
public enum TestStore: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The stores to run on here.
    public static var available: [TestStore] { TestPostgres.isEnabled ? [.sqlite, .postgres] : [.sqlite] }
}

extension TestStore {
    /// A new, empty study store of this kind: SQLite in memory, or a new PostgreSQL database
    /// (dropped when `keepAlive` goes).
    public func makeStore() throws -> (store: AssayStore, keepAlive: TestPostgres.Database?) {
        switch self {
        case .sqlite:
            return (try AssayStore.inMemory(), nil)
        case .postgres:
            let database = try TestPostgres.Database()
            return (try AssayStore(location: .postgres(try PostgresAddress(parsing: database.url))), database)
        }
    }
}
