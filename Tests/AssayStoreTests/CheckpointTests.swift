import AssayTestSupport
import Foundation
import GRDB
import Testing

@testable import AssayStore

/// Review sessions take checkpoints out of their commits and run them while the annotator reads.
@Suite struct CheckpointTests {
    /// 1,500 one-page commits: past the 1,000 pages at which SQLite would checkpoint by itself.
    static func commitPages(_ store: AssayStore, count: Int) throws {
        for index in 0..<count {
            try store.database.write { db in
                try db.execute(sql: "INSERT INTO filler (bytes) VALUES (?)", arguments: [Data(repeating: UInt8(index % 251), count: 3000)])
            }
        }
    }

    /// A new study database with a table to fill, and its path.
    static func storeWithFiller(in folder: TemporaryFolder) throws -> (AssayStore, String) {
        let path = folder.path("study.sqlite")
        let store = try AssayStore(path: path)
        try store.database.write { db in try db.execute(sql: "CREATE TABLE filler (bytes BLOB)") }
        return (store, path)
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    @Test("with automatic checkpoints off the log grows until checkpoint(), which lets it be reused from its start")
    func checkpointsWaitForTheCaller() throws {
        let folder = try TemporaryFolder()
        let (store, path) = try Self.storeWithFiller(in: folder)
        try store.turnOffAutomaticCheckpoints()
        try Self.commitPages(store, count: 1500)
        let grown = Self.fileSize(path + "-wal")
        #expect(grown > 1500 * 4096, "no commit checkpointed: every frame is still in the log")
        let databaseBefore = Self.fileSize(path)

        try store.checkpoint()
        #expect(Self.fileSize(path) > databaseBefore + 1000 * 4096, "the pages reached the database file")
        try Self.commitPages(store, count: 200)
        #expect(Self.fileSize(path + "-wal") == grown, "the log restarted from its beginning instead of growing")
    }

    @Test("with automatic checkpoints on (the default) SQLite keeps the log near 1,000 pages by itself")
    func automaticCheckpointsBoundTheLog() throws {
        let folder = try TemporaryFolder()
        let (store, path) = try Self.storeWithFiller(in: folder)
        try Self.commitPages(store, count: 1500)
        #expect(Self.fileSize(path + "-wal") < 1100 * 4096)
    }
}
