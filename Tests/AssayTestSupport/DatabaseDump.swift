import Foundation
import GRDB

/// Every row of every table of a database file, as text: compare two dumps to prove a failed
/// command changed nothing, whatever SQLite did to the file's pages.
public enum DatabaseDump {
    public static func dump(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "<no file>" }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var lines: [String] = []
            for table in tables {
                lines.append("## \(table)")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid") {
                    lines.append(row.description)
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs one SQL statement against a database file (test set-up only).
    public static func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
    }
}
