/// Which study store a parameterised test runs on: SQLite always, PostgreSQL where a server
/// answers (see TestPostgres) and always in CI.
public enum TestStore: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The stores to run on here.
    public static var available: [TestStore] { TestPostgres.isEnabled ? [.sqlite, .postgres] : [.sqlite] }
}
