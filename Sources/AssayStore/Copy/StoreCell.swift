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
