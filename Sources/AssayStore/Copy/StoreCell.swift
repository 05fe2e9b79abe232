import AssaySupport
import GRDB

/// One column value of one row, in the four kinds both stores hold (the schema has no blobs or
/// booleans): what a copy reads from one store and writes to the other, bit for bit.
enum StoreCell: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The value as a message shows it: a key, mostly.
    var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): "'\(value.prefix(40))'"
        }
    }
}

/// A cell as GRDB's value and back: how SQLite and the queries written on `StoreStatements` hold it.
extension StoreCell {
    /// The cell as SQLite stores it.
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }

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
