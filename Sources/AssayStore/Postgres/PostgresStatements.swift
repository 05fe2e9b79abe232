import AssaySupport
import Foundation
import GRDB
import Synchronization

/// `StoreStatements` on a PostgreSQL connection for the store's synchronous callers (the review
/// REPL reads a line, then waits for its commit): each statement runs on the driver's event loop
/// while the calling thread waits for it.
struct PostgresStatements: StoreStatements {
    let session: PostgresSession

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        let statement = Self.numberingPlaceholders(sql)
        let cells = try arguments.map(StoreCell.init)
        let session = session
        let result = try Self.waiting { try await session.rowsWithColumns(statement, cells) }
        return result.rows.map { cells in
            // A name given twice reads as its leftmost column, as GRDB reads it.
            Row(
                Dictionary(
                    zip(result.columns, cells.map { $0.databaseValue as (any DatabaseValueConvertible)? }),
                    uniquingKeysWith: { first, _ in first }))
        }
    }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        let statement = Self.numberingPlaceholders(sql)
        let cells = try arguments.map(StoreCell.init)
        let session = session
        try Self.waiting { try await session.execute(statement, cells) }
    }

    /// Runs `body` to its end while this thread waits. Callers are synchronous code on their own
    /// thread (never the driver's event loop), so the wait cannot hold up the work it waits for.
    static func waiting<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        return try outcome.withLock { $0 }!.get()
    }

    /// SQLite's `?` placeholders as PostgreSQL's `$1`, `$2`, …; a `?` inside a quoted string stays.
    static func numberingPlaceholders(_ sql: String) -> String {
        var result = ""
        var number = 0
        var inString = false
        for character in sql {
            if character == "'" { inString.toggle() }
            if character == "?" && !inString {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension StoreCell {
    /// A GRDB argument as a cell; blobs have no place in Assay's tables.
    init(_ value: DatabaseValue) throws {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let real): self = .real(real)
        case .string(let text): self = .text(text)
        case .blob: throw AssayError("internal error: a blob argument for PostgreSQL, which no Assay table stores")
        }
    }
}
