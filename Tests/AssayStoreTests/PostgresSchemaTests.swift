import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// The schema on a PostgreSQL store: the same migrations as a SQLite file, the same tables and
/// columns, and the same refusal of a database written by a newer Assay.
@Suite("PostgreSQL schema", .enabled(if: TestPostgres.isEnabled))
struct PostgresSchemaTests {
    /// Each table's columns, in order, as "table: a, b, c".
    static func sqliteColumns() throws -> [String] {
        let folder = try TemporaryFolder()
        let store = try AssayStore(path: folder.path("columns.sqlite"))
        return try DatabaseQueue(path: store.path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .map { table in "\(table): " + (try db.columns(in: table).map(\.name).joined(separator: ", ")) }
        }
    }

    @Test("a new database gets every migration and the tables and columns of a SQLite file, in the same order")
    func sameTablesAndColumnsAsSQLite() throws {
        let database = try TestPostgres.Database()
        let address = try PostgresAddress(parsing: database.url)
        let store = try AssayStore(location: .postgres(address))
        #expect(try store.appliedSchemaVersions() == AssayStore.schemaVersions.sorted())
        let columns = try database.psql(
            """
            SELECT table_name || ': ' || string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = current_schema() GROUP BY table_name ORDER BY table_name
            """
        ).split(separator: "\n").map(String.init)
        #expect(columns == (try Self.sqliteColumns()))
        // Opening again migrates nothing twice.
        _ = try AssayStore(location: .postgres(address))
        #expect(try database.psql("SELECT count(*) FROM grdb_migrations") == String(AssayStore.schemaVersions.count))
    }

    @Test("three processes opening a new database at once all find one complete schema")
    func concurrentFirstOpensMigrateOnce() async throws {
        let database = try TestPostgres.Database()
        let address = try PostgresAddress(parsing: database.url)
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<3 {
                group.addTask { try AssayStore(location: .postgres(address)).appliedSchemaVersions() }
            }
            for try await versions in group {
                #expect(versions == AssayStore.schemaVersions.sorted())
            }
        }
    }

    @Test("a database written by a newer Assay is refused and left as it is")
    func newerSchemaIsRefused() throws {
        let database = try TestPostgres.Database()
        let address = try PostgresAddress(parsing: database.url)
        _ = try AssayStore(location: .postgres(address))
        try database.psql("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        #expect {
            _ = try AssayStore(location: .postgres(address))
        } throws: { error in
            "\(error)"
                == "\(address) was written by a newer Assay (schema v99-from-the-future is unknown to this binary, which knows up to \(AssayStore.schemaVersions.last ?? "")); upgrade assay to open it"
        }
        #expect(try database.psql("SELECT count(*) FROM grdb_migrations") == String(AssayStore.schemaVersions.count + 1))
    }
}
