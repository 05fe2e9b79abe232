import AssaySupport
import Foundation
import GRDB

/// A SQLite study file read for a copy: opened (and migrated) as every command opens it, then read
/// through one WAL snapshot, so annotators who keep scoring during the copy change nothing it sees.
struct SQLiteCopySource: StoreCopySource {
    let path: String
    private let snapshot: DatabaseSnapshot

    init(path: String) throws {
        let store = try AssayStore(path: path, create: false)
        guard let pool = try store.database as? DatabasePool else {
            throw AssayError("\(path): cannot read a consistent view of this store; copy from a database file")
        }
        self.path = path
        snapshot = try Self.reading(path) { try pool.makeSnapshot() }
    }

    func tableNames() throws -> Set<String> {
        try read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                )
            ).subtracting([CopiedTable.migrationsTable])
        }
    }

    func columns(of table: String) throws -> [String] {
        try read { db in try db.columns(in: table).map(\.name) }
    }

    func rowCount(of table: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    func rows(of table: CopiedTable, columns: [String], after key: [StoreCell]?, limit: Int) throws -> [[StoreCell]] {
        let sql = chunkQuery(table, columns: columns, after: key, limit: limit) { _ in "?" }
        let arguments = StatementArguments((key ?? []).map(\.databaseValue))
        return try read { db in
            var rows: [[StoreCell]] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                rows.append(try columns.indices.map { index in try cell(row, index, table: table, columns: columns) })
            }
            return rows
        }
    }

    private func cell(_ row: Row, _ index: Int, table: CopiedTable, columns: [String]) throws -> StoreCell {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .double(let real): return .real(real)
        case .string:
            // The text's bytes as stored: GRDB's string stops at a NUL character, which must not vanish unseen.
            return .text(try row.withUnsafeData(atIndex: index) { String(decoding: $0 ?? Data(), as: UTF8.self) })
        case .blob:
            throw AssayError(
                "\(path): table \(table.name), column \(columns[index]) holds a blob, which no Assay table uses; \(AssayStore.changedOutsideAssay)"
            )
        }
    }

    func close() {}

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.reading(path) { try snapshot.read(body) }
    }

    /// SQLite's own errors (a corrupt page, a full disk) as one line naming the file.
    private static func reading<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError("\(path): cannot read (\(AssayStore.reason(error))); check the file, or restore it from a copy")
        }
    }
}
