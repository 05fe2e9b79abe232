import AssayCore
import AssaySupport
import Foundation
import GRDB

/// The store that holds a study: a SQLite file, opened in WAL mode with foreign keys on, or a
/// PostgreSQL database; either migrated to this binary's schema, and refused when it is not an
/// Assay database or is newer than the binary.
public final class AssayStore: Sendable {
    /// Where the store lives, as given: a file path (":memory:" for a store that lives only in this
    /// process), or a PostgreSQL URL without its password.
    public let path: String
    private let backend: Backend
    /// Held while a PostgreSQL statement or transaction is on the connection.
    private let postgresLock = NSLock()

    private enum Backend: Sendable {
        /// For a file, a WAL pool, which lets readers and one writer work at once, so several
        /// annotators can share a database.
        case sqlite(any DatabaseWriter)
        case postgres(PostgresSession)
    }

    /// Opens (and, when `create` is true, creates) the database at `path`.
    public convenience init(path: String, create: Bool = true) throws {
        try Self.checkLocation(path, create: create)
        var configuration = Self.configuration
        configuration.journalMode = .wal
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw AssayError("\(path): cannot open as a SQLite database (\(Self.reason(error))); pass --db with an Assay database file")
        }
        try self.init(path: path, database: pool)
    }

    /// Opens the store at `location`: a SQLite file as `init(path:create:)` does, or a PostgreSQL
    /// database (which must exist; its tables are created on first use).
    public convenience init(location: StoreLocation, create: Bool = true) throws {
        switch location {
        case .sqlite(let path):
            try self.init(path: path, create: create)
        case .postgres(let address):
            // An acknowledged score must survive a crash of the server too, whatever its configuration says.
            let session = try PostgresSession.connectMigrated(to: address, then: ["SET synchronous_commit = on"])
            self.init(path: address.description, backend: .postgres(session))
        }
    }

    /// A store with the whole schema that lives in memory and is gone with the process: for
    /// tests of the store and of what is built on it.
    public static func inMemory() throws -> AssayStore {
        try AssayStore(path: ":memory:", database: DatabaseQueue(configuration: configuration))
    }

    private convenience init(path: String, database: any DatabaseWriter) throws {
        try Self.migrate(database, path: path)
        self.init(path: path, backend: .sqlite(database))
    }

    private init(path: String, backend: Backend) {
        self.path = path
        self.backend = backend
    }

    deinit {
        if case .postgres(let session) = backend { session.close() }
    }

    /// Whether the store is a PostgreSQL database.
    public var isPostgres: Bool {
        if case .postgres = backend { return true }
        return false
    }

    /// The SQLite database, for what only a file has (checkpoints, the benchmark's generator, a
    /// copy's snapshot): on a PostgreSQL store it stops with an error that says what to do instead.
    var database: any DatabaseWriter {
        get throws {
            switch backend {
            case .sqlite(let writer): return writer
            case .postgres:
                throw AssayError(
                    "\(path): this works on a SQLite file only; copy the study to a file with assay db copy \(path) study.sqlite and pass --db study.sqlite"
                )
            }
        }
    }

    /// Runs `body`'s reads: in one read transaction on SQLite; on PostgreSQL each statement on its
    /// own, seeing what was committed when it started, which saves the review REPL two round trips
    /// per read (its reads are single statements).
    func reading<T>(_ body: (any StoreStatements) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let writer):
            return try writer.read { db in try body(db) }
        case .postgres(let session):
            return try withConnection(session, body)
        }
    }

    /// Runs `body` in a write transaction, on either store: committed when it returns, rolled back when it throws.
    func writing<T>(_ body: (any StoreStatements) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let writer): try writer.write { db in try body(db) }
        case .postgres(let session): try inPostgresTransaction(session, body)
        }
    }

    private func inPostgresTransaction<T>(_ session: PostgresSession, _ body: (any StoreStatements) throws -> T) throws -> T {
        try withConnection(session) { statements in
            try statements.execute("BEGIN", [])
            do {
                let value = try body(statements)
                try statements.execute("COMMIT", [])
                return value
            } catch {
                try? statements.execute("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Runs `body` with the connection to itself: one connection carries one statement (and one
    /// transaction) at a time.
    private func withConnection<T>(_ session: PostgresSession, _ body: (any StoreStatements) throws -> T) throws -> T {
        postgresLock.lock()
        defer { postgresLock.unlock() }
        return try body(PostgresStatements(session: session))
    }

    /// Runs one statement outside any transaction: a session setting.
    func settingSession(sqlite: String, postgres: String) throws {
        switch backend {
        case .sqlite(let writer):
            try writer.writeWithoutTransaction { db in try db.execute(sql: sqlite) }
        case .postgres(let session):
            try withConnection(session) { statements in try statements.execute(postgres, []) }
        }
    }

    /// Foreign keys on and a busy timeout: every connection to a study file, a copy's new file too.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// The schema versions this binary knows, oldest first.
    public static var schemaVersions: [String] { SchemaMigrations.knownVersions }

    /// Upgrades the database in place to `version` only: for tests of upgrades from older files.
    public static func createAtSchemaVersion(_ version: String, path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try SchemaMigrations.migrator.migrate(queue, upTo: version)
    }

    /// The schema versions recorded in the store.
    public func appliedSchemaVersions() throws -> [String] {
        try reading { statements in
            try statements.rows("SELECT identifier FROM grdb_migrations", []).map { $0["identifier"] as String }.sorted()
        }
    }

    private static func checkLocation(_ path: String, create: Bool) throws {
        let url = URL(fileURLWithPath: path)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw AssayError("\(path) is a directory; --db takes a database file path, for example \(path)/assay.sqlite")
            }
            // Read the header before SQLite does: a non-database file must never be touched.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw AssayError("\(path): cannot read the database file; check its permissions")
            }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            if !header.isEmpty && header != Data("SQLite format 3\0".utf8) {
                throw AssayError(
                    "\(path) is not a SQLite database (its first bytes are not 'SQLite format 3'); pass --db with an Assay database file or a new path"
                )
            }
            return
        }
        let folder = url.deletingLastPathComponent().path
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AssayError("\(path): the folder \(folder) does not exist; create it first or choose another --db path")
        }
        guard create else {
            throw AssayError("\(path): no database here yet; import a dataset first (assay dataset import FILE --name NAME) or pass --db")
        }
    }

    private static func migrate(_ database: any DatabaseWriter, path: String) throws {
        let migrator = SchemaMigrations.migrator
        do {
            try database.read { db in
                let known = Set(migrator.migrations)
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(known)
                if !unknown.isEmpty {
                    throw AssayError(
                        "\(path) was written by a newer Assay (schema \(unknown.sorted().joined(separator: ", ")) is unknown to this binary, which knows up to \(migrator.migrations.last ?? "none")); upgrade assay to open it"
                    )
                }
            }
            try migrator.migrate(database)
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError("\(path): cannot use this file as an Assay database (\(reason(error))); pass --db with an Assay database file")
        }
    }

    /// The how-to-fix of every error about a row that Assay could not have written.
    static let changedOutsideAssay = "the database was changed outside Assay, so restore it from a copy or re-import that data"

    /// Runs a fetch whose rows decode JSON or dates, turning a row that no longer decodes (a
    /// column edited outside Assay) into a one-line error that names the row.
    static func decodingRow<T>(_ row: @autoclosure () -> String, _ fetch: () throws -> T) throws -> T {
        do {
            return try fetch()
        } catch let error as AssayError {
            throw error
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw AssayError("\(row()) cannot be read (\(describe(error))); \(changedOutsideAssay)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else {
            // GRDB's own decoding errors end with the whole row, which can hold a long dataset text.
            let message = String(describing: error)
            return message.range(of: ", column index:").map { String(message[..<$0.lowerBound]) } ?? message
        }
        let context: DecodingError.Context
        switch decoding {
        case .dataCorrupted(let found), .keyNotFound(_, let found), .typeMismatch(_, let found), .valueNotFound(_, let found):
            context = found
        @unknown default:
            return String(describing: decoding)
        }
        let column = context.codingPath.first.map { "column \($0.stringValue): " } ?? ""
        return column + context.debugDescription
    }

    static func reason(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        }
        return String(describing: error)
    }
}
