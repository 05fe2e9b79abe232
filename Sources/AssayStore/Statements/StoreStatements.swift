import GRDB

/// The SQL both stores run, written once: `?` placeholders, arguments and rows as GRDB's values
/// (so records decode and encode the same way from either store), inside the transaction that
/// `AssayStore.reading` or `writing` opened. Queries written on it stay in the SQL that SQLite and
/// PostgreSQL share: no `instr`, no bare `1` for true, `RETURNING id` for new rows.
protocol StoreStatements {
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws
}

extension StoreStatements {
    /// The first column of the first row, or nil when there is no row.
    func value<Value: DatabaseValueConvertible>(_ sql: String, _ arguments: [DatabaseValue] = []) throws -> Value? {
        guard let row = try rows(sql, arguments).first, let column = row.columnNames.first else { return nil }
        return row[column]
    }

    /// Inserts the record as GRDB encodes it (dates, JSON columns) and returns its new id.
    func insert(_ record: some EncodableRecord & TableRecord) throws -> Int64 {
        let columns = try record.databaseDictionary.filter { $0.key != "id" || !$0.value.isNull }.sorted { $0.key < $1.key }
        let sql = """
            INSERT INTO \(type(of: record).databaseTableName) (\(columns.map(\.key).joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", "))) RETURNING id
            """
        guard let id: Int64 = try value(sql, columns.map(\.value)) else {
            throw StoreStatementsError.noID(table: type(of: record).databaseTableName)
        }
        return id
    }
}

enum StoreStatementsError: Error, CustomStringConvertible {
    case noID(table: String)

    var description: String {
        switch self {
        case .noID(let table): "the insert into \(table) returned no id"
        }
    }
}

extension Database: StoreStatements {
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(self, sql: sql, arguments: StatementArguments(arguments))
    }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        try execute(sql: sql, arguments: StatementArguments(arguments))
    }
}
