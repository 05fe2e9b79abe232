import Foundation

/// The text of a JSON column as GRDB writes it for a record's nested value (sorted keys), so that
/// a query can compare a column with a value.
enum StoredJSON {
    static func text(of value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
