/// The store a copy reads: one consistent view of it, however long the copy takes.
protocol StoreCopySource: Sendable {
    /// Every table the store holds, the schema's bookkeeping and the engine's own left out.
    func tableNames() throws -> Set<String>
    /// The table's columns in their order in the schema.
    func columns(of table: String) throws -> [String]
    func rowCount(of table: String) throws -> Int
    /// Up to `limit` rows in key order, starting after `key` (from the first row when nil).
    func rows(of table: CopiedTable, columns: [String], after key: [StoreCell]?, limit: Int) throws -> [[StoreCell]]
    /// Ends the read view.
    func close()
}

extension StoreCopySource {
    /// The chunk query both stores run: a row-value comparison on the key, which SQLite and
    /// PostgreSQL both answer from the primary key's index. `placeholder` spells the n-th parameter.
    func chunkQuery(
        _ table: CopiedTable, columns: [String], after key: [StoreCell]?, limit: Int, placeholder: (Int) -> String
    ) -> String {
        let keyList = table.key.joined(separator: ", ")
        let start =
            key == nil ? "" : " WHERE (\(keyList)) > (\(table.key.indices.map { placeholder($0 + 1) }.joined(separator: ", ")))"
        return "SELECT \(columns.joined(separator: ", ")) FROM \(table.name)\(start) ORDER BY \(keyList) LIMIT \(limit)"
    }
}
