import AssayCore
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

    func fetchOne<Record: FetchableRecord>(_: Record.Type, _ sql: String, _ arguments: [DatabaseValue] = []) throws -> Record? {
        try rows(sql, arguments).first.map { try Record(row: $0) }
    }

    func fetchAll<Record: FetchableRecord>(_: Record.Type, _ sql: String, _ arguments: [DatabaseValue] = []) throws -> [Record] {
        try rows(sql, arguments).map { try Record(row: $0) }
    }

    /// Inserts the record as GRDB encodes it (dates, JSON columns); with `returningID`, returns the
    /// new row's id, which is nil only when `conflict` names a unique key an existing row holds.
    @discardableResult
    func insert(
        _ record: some EncodableRecord & TableRecord, returningID: Bool = false, skippingConflictOn conflict: String? = nil
    ) throws -> Int64? {
        let table = type(of: record).databaseTableName
        let columns = try record.databaseDictionary.filter { $0.key != "id" || !$0.value.isNull }.sorted { $0.key < $1.key }
        let sql = """
            INSERT INTO \(table) (\(columns.map(\.key).joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))\(conflict.map { " ON CONFLICT (\($0)) DO NOTHING" } ?? "")
            """
        guard returningID else {
            try execute(sql, columns.map(\.value))
            return nil
        }
        guard let id: Int64 = try value(sql + " RETURNING id", columns.map(\.value)) else {
            guard conflict != nil else { throw StoreStatementsError.noID(table: table) }
            return nil
        }
        return id
    }

    /// Inserts the record and returns it with its new id.
    func inserted<Record: AssayRecord>(_ record: Record) throws -> Record {
        guard let stored = try storing(record, skippingConflictOn: nil) else {
            throw StoreStatementsError.noID(table: Record.databaseTableName)
        }
        return stored
    }

    /// Inserts the record and returns it with its new id; nil when an existing row already holds
    /// the unique key `conflict` names.
    func inserted<Record: AssayRecord>(_ record: Record, skippingConflictOn conflict: String) throws -> Record? {
        try storing(record, skippingConflictOn: conflict)
    }

    private func storing<Record: AssayRecord>(_ record: Record, skippingConflictOn conflict: String?) throws -> Record? {
        guard let id = try insert(record, returningID: true, skippingConflictOn: conflict) else { return nil }
        var stored = record
        stored.id = EntityID(id)
        return stored
    }

    /// Writes `columns` of a stored record, encoded as GRDB encodes them.
    func update<Record: AssayRecord>(_ record: Record, columns: [String]) throws {
        let values = try record.databaseDictionary
        try execute(
            "UPDATE \(Record.databaseTableName) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
            columns.map { values[$0] ?? .null } + [try record.storedID().databaseValue])
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
