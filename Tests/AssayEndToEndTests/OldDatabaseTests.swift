import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// A study database written by main at 2c8a1f1 (Tests/Fixtures/old-database, made by
/// scripts/make-old-database-fixture) still opens, migrates, and reads exactly as 2c8a1f1 read it.
@Suite struct OldDatabaseTests {
    static let fixture = SharedFiles.fixture("old-database/study-2c8a1f1.sqlite")

    /// The migrations 2c8a1f1 had applied when it wrote the fixture.
    static let migrationsOf2c8a1f1 = ["v1-datasets-models-runs", "v2-review", "v3-review-indexes"]

    /// The fixture copied into a fresh folder: commands migrate and write the copy only.
    struct Copy {
        let folder: TemporaryFolder
        let path: String

        init() throws {
            folder = try TemporaryFolder(prefix: "old-database")
            path = folder.path("study.sqlite")
            try FileManager.default.copyItem(atPath: OldDatabaseTests.fixture.path, toPath: path)
        }
    }

    @Test(arguments: [
        (["metrics", "--all", "--format", "json"], "metrics.json"),
        (["export", "scores", "--format", "jsonl"], "scores.jsonl"),
        (["agreement", "--json"], "agreement.json"),
    ])
    func printsWhat2c8a1f1Printed(arguments: [String], expectedFile: String) throws {
        let copy = try Copy()
        let result = try AssayBinary.run(arguments + ["--db", copy.path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOf: SharedFiles.fixture("old-database/\(expectedFile)"), encoding: .utf8)
        #expect(Self.firstDifference(result.stdout, from: expected) == nil, "\(expectedFile) no longer matches")
    }

    @Test func theCopyMigratesToTheNewestSchemaAndTheFixtureIsUntouched() throws {
        let fixtureBytes = try Data(contentsOf: Self.fixture)
        let copy = try Copy()
        #expect(try Self.appliedMigrations(copy.path) == Self.migrationsOf2c8a1f1)

        let result = try AssayBinary.run(["metrics", "--all", "--db", copy.path])
        #expect(result.status == 0, "\(result.stderr)")

        #expect(
            AssayStore.schemaVersions.count > Self.migrationsOf2c8a1f1.count,
            "the fixture predates no migration, so this test proves nothing")
        #expect(try Self.appliedMigrations(copy.path) == AssayStore.schemaVersions)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy.path)) != fixtureBytes, "the migration wrote the copy")

        #expect(try Data(contentsOf: Self.fixture) == fixtureBytes)
        for sidecar in ["-wal", "-shm", "-journal"] {
            #expect(!FileManager.default.fileExists(atPath: Self.fixture.path + sidecar))
        }
    }

    /// The first line where `actual` departs from `expected`, both shown; nil when they are equal.
    /// (Comparing the strings themselves would print both whole outputs.)
    static func firstDifference(_ actual: String, from expected: String) -> String? {
        guard actual != expected else { return nil }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let index = zip(actualLines, expectedLines).prefix { $0 == $1 }.count
        func line(_ lines: [Substring]) -> String { index < lines.count ? "'\(lines[index])'" : "end of output" }
        return "line \(index + 1): expected \(line(expectedLines)), got \(line(actualLines))"
    }

    static func appliedMigrations(_ path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
    }
}
