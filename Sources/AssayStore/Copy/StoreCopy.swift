import AssaySupport

/// `assay db copy`: every row of every table from one study store to a new or empty one, SQLite
/// or PostgreSQL either way, ids kept, so the copy answers every command as the source does.
public enum StoreCopy {
    /// One table's rows as the copy went: reported as it goes and at the end.
    public struct TableProgress: Sendable, Encodable {
        public let table: String
        public let copied: Int
        public let total: Int
    }

    /// Rows read and written per round trip: large enough that round trips do not dominate,
    /// small enough that a table of long reasoning texts stays a few megabytes in memory.
    static let chunkRows = 2000

    /// Copies `source` into `destination` and returns each table's row count. The destination
    /// sees nothing until every row is in; on any failure it is left as it was.
    public static func copy(
        from source: StoreLocation, to destination: StoreLocation,
        progress: @Sendable (TableProgress) -> Void = { _ in }
    ) throws -> [TableProgress] {
        guard source != destination else {
            throw AssayError("\(source) is both the source and the destination; give a new file or an empty database to copy into")
        }
        let reader: any StoreCopySource =
            switch source {
            case .sqlite(let path): try SQLiteCopySource(path: path)
            case .postgres(let address): try PostgresCopySource.open(address)
            }
        let writer: any StoreCopyDestination
        do {
            writer =
                switch destination {
                case .sqlite(let path): try SQLiteCopyDestination(path: path)
                case .postgres(let address): try PostgresCopyDestination.open(address)
                }
        } catch {
            reader.close()
            throw error
        }
        do {
            let counts = try copyTables(from: reader, named: source, to: writer, progress: progress)
            try writer.commit()
            reader.close()
            return counts
        } catch {
            writer.discard()
            reader.close()
            throw error
        }
    }

    private static func copyTables(
        from reader: any StoreCopySource, named source: StoreLocation, to writer: any StoreCopyDestination,
        progress: @Sendable (TableProgress) -> Void
    ) throws -> [TableProgress] {
        let unknown = try reader.tableNames().subtracting(CopiedTable.all.map(\.name))
        guard unknown.isEmpty else {
            throw AssayError(
                "\(source) holds tables Assay does not know (\(unknown.sorted().joined(separator: ", "))), which the copy would lose; drop them or copy with the Assay that made them"
            )
        }
        var counts: [TableProgress] = []
        for table in CopiedTable.all {
            let columns = try reader.columns(of: table.name)
            let destinationColumns = try writer.columns(of: table.name)
            guard columns == destinationColumns else {
                throw AssayError(
                    "table \(table.name) has columns (\(columns.joined(separator: ", "))) in \(source) but (\(destinationColumns.joined(separator: ", "))) in the destination; \(AssayStore.changedOutsideAssay)"
                )
            }
            let keyIndices = table.key.compactMap { columns.firstIndex(of: $0) }
            let total = try reader.rowCount(of: table.name)
            var copied = 0
            var lastKey: [StoreCell]?
            progress(TableProgress(table: table.name, copied: 0, total: total))
            while true {
                let rows = try reader.rows(of: table, columns: columns, after: lastKey, limit: chunkRows)
                guard let last = rows.last else { break }
                try refuseNUL(in: rows, of: table, columns: columns)
                try writer.insert(rows, into: table, columns: columns)
                copied += rows.count
                lastKey = keyIndices.map { last[$0] }
                progress(TableProgress(table: table.name, copied: copied, total: max(total, copied)))
                if rows.count < chunkRows { break }
            }
            counts.append(TableProgress(table: table.name, copied: copied, total: max(total, copied)))
        }
        return counts
    }

    /// PostgreSQL's text cannot hold a NUL character, and SQLite's C interface cuts a text at one:
    /// a copy would lose what follows it, so it stops instead.
    private static func refuseNUL(in rows: [[StoreCell]], of table: CopiedTable, columns: [String]) throws {
        for row in rows {
            guard let index = row.firstIndex(where: { $0.text?.contains("\0") == true }) else { continue }
            let key = table.key.compactMap { name in columns.firstIndex(of: name).map { "\(name) \(row[$0])" } }
            throw AssayError(
                "table \(table.name), row \(key.joined(separator: ", ")): column \(columns[index]) holds a NUL character, which a copy cannot keep (PostgreSQL's text cannot hold one); remove it in the source and copy again"
            )
        }
    }
}
