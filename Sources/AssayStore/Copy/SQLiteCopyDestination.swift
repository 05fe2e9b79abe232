import AssaySupport
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new SQLite study file written by a copy: built under a temporary name beside the
/// destination, with the score-history triggers set aside while the copied history goes in (they
/// would append a second history), then synced and linked into place, never over an existing file.
final class SQLiteCopyDestination: StoreCopyDestination {
    let path: String
    private let partialPath: String
    private let queue: DatabaseQueue
    /// The score table's triggers, as the schema created them, to put back after the rows.
    private let scoreTriggers: [String]

    init(path: String) throws {
        let destination = URL(fileURLWithPath: path)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw AssayError("\(path) already exists; copy into a new file, or move that one away first")
        }
        var isFolder: ObjCBool = false
        let folder = destination.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw AssayError("\(path): the folder \(folder) does not exist; create it first or choose another destination")
        }
        self.path = path
        partialPath =
            destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).partial").path
        do {
            // A rollback journal, not WAL: the finished file is one file that can be linked into place.
            queue = try DatabaseQueue(path: partialPath, configuration: AssayStore.configuration)
            try SchemaMigrations.migrator.migrate(queue)
            scoreTriggers = try queue.write { db in
                let triggers = try Row.fetchAll(
                    db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'score' ORDER BY name")
                for trigger in triggers {
                    try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)")
                }
                return triggers.map { $0["sql"] as String }
            }
        } catch {
            Self.remove(partialPath)
            throw Self.failure(path, error)
        }
    }

    func columns(of table: String) throws -> [String] {
        try writing { db in try db.columns(in: table).map(\.name) }
    }

    func insert(_ rows: [[StoreCell]], into table: CopiedTable, columns: [String]) throws {
        let sql =
            "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        try writing { db in
            let statement = try db.cachedStatement(sql: sql)
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
            }
        }
    }

    func commit() throws {
        try writing { db in
            for trigger in scoreTriggers { try db.execute(sql: trigger) }
        }
        do {
            try queue.close()
        } catch {
            throw Self.failure(path, error)
        }
        let descriptor = open(partialPath, O_RDONLY | O_CLOEXEC)
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        if descriptor >= 0 { close(descriptor) }
        guard synced else { throw Self.failure(path, reason: String(cString: strerror(errno))) }
        // link(2) fails when the destination appeared meanwhile, where rename(2) would replace it.
        guard link(partialPath, path) == 0 else {
            let reason = errno == EEXIST ? "another file appeared there during the copy" : String(cString: strerror(errno))
            throw Self.failure(path, reason: reason)
        }
        Self.remove(partialPath)
        AtomicFileOutput.syncFolder(containing: URL(fileURLWithPath: path))
    }

    func discard() {
        try? queue.close()
        Self.remove(partialPath)
    }

    private func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch {
            throw Self.failure(path, error)
        }
    }

    private static func failure(_ path: String, _ error: any Error) -> AssayError {
        (error as? AssayError) ?? SQLiteCopyDestination.failure(path, reason: AssayStore.reason(error))
    }

    private static func failure(_ path: String, reason: String) -> AssayError {
        AssayError("\(path): cannot write the copy (\(reason)); nothing was written there; check that the folder is writable and has room")
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-journal"] { unlink(path + suffix) }
    }
}
