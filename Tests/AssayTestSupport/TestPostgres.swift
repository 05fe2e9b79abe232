import Foundation

/// The PostgreSQL server the store tests run against: `ASSAY_TEST_POSTGRES` when set (a URL to a
/// database the tests may create databases from), else the one `scripts/postgres-for-tests start`
/// runs, which `scripts/prepare-tests` starts. Without a server the PostgreSQL tests are skipped
/// on a workstation and fail in CI.
public enum TestPostgres {
    public static let serverURL =
        ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
        ?? "postgres://postgres@127.0.0.1:55432/postgres"

    /// Whether the PostgreSQL tests run: with a server that answers, and always in CI (where a
    /// missing one fails them).
    public static let isEnabled =
        ProcessInfo.processInfo.environment["CI"] == "true" || (try? psql(serverURL, "SELECT 1")) == "1"

    /// A new, empty database on the test server, dropped when the value goes.
    public final class Database: Sendable {
        public let name: String
        public let url: String

        public init() throws {
            let server = TestPostgres.serverURL
            guard let slash = server.range(of: "/", options: .backwards) else {
                throw TestPostgresError("ASSAY_TEST_POSTGRES (\(server)) is not a postgres:// URL")
            }
            name = "assay_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            url = server[..<slash.upperBound] + name
            try TestPostgres.psql(server, "CREATE DATABASE \(name)")
        }

        deinit {
            _ = try? TestPostgres.psql(TestPostgres.serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }

        /// Runs SQL with psql against this database and returns its unaligned, tuples-only output.
        @discardableResult
        public func psql(_ sql: String) throws -> String { try TestPostgres.psql(url, sql) }
    }

    /// Runs SQL with psql (stopping at the first error) and returns its unaligned, tuples-only output.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestPostgresError("psql \(sql): \(message)") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
