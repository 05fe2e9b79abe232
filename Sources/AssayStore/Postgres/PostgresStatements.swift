import GRDB

/// `StoreStatements` on a PostgreSQL connection: `?` placeholders numbered, GRDB values as cells
/// and back, each statement waited for on the calling thread.
struct PostgresStatements: StoreStatements {
    let session: PostgresSession

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        let statement = Self.numberingPlaceholders(sql)
        let cells = try arguments.map(StoreCell.init)
        let result = try session.rowsWithColumns(statement, cells)
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
        try session.execute(statement, cells)
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
