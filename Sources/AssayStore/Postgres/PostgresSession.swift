import AssaySupport
import Foundation
import PostgresNIO

/// One connection to a PostgreSQL store: statements with typed parameters, rows as `StoreCell`s,
/// and every server or network failure turned into a one-line error naming the store.
final class PostgresSession: Sendable {
    let address: PostgresAddress
    private let connection: PostgresConnection
    private let logger: Logger

    /// How long connecting and logging in may take: an unreachable host or a server that waits for
    /// a password nobody sends fails with a message instead of hanging the command.
    static let connectSeconds: Int64 = 15

    private init(address: PostgresAddress, connection: PostgresConnection, logger: Logger) {
        self.address = address
        self.connection = connection
        self.logger = logger
    }

    static func connect(to address: PostgresAddress) async throws -> PostgresSession {
        var settings = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: try tls(for: address))
        settings.options.connectTimeout = .seconds(connectSeconds)
        let configuration = settings
        // The messages that matter become errors; the driver's own log would only clutter the terminal.
        let logger = quietLogger
        let connection: PostgresConnection
        do {
            connection = try await withDeadline(seconds: connectSeconds, address: address) {
                try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger)
            }
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError(
                "\(address): cannot connect (\(describe(error))); check that the server runs, that the URL's host, port, user and database are right, and the password (in the URL or $PGPASSWORD)"
            )
        }
        return PostgresSession(address: address, connection: connection, logger: logger)
    }

    private static var quietLogger: Logger {
        var logger = Logger(label: "assay.postgres")
        logger.logLevel = .critical
        return logger
    }

    private static func tls(for address: PostgresAddress) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch address.tlsMode {
        case .disable: return .disable
        case .verifyFull: break
        case .prefer, .require: configuration.certificateVerification = .none
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw AssayError("\(address): cannot set up TLS (\(error)); pass ?sslmode=disable for a server on a trusted network")
        }
        return address.tlsMode == .prefer ? .prefer(context) : .require(context)
    }

    /// Runs `body`, failing with a connection error once `seconds` have passed.
    private static func withDeadline<T: Sendable>(
        seconds: Int64, address: PostgresAddress, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask(operation: body)
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw AssayError(
                    "\(address): no answer within \(seconds) s while connecting and logging in; check the host and port, and give the password in the URL or $PGPASSWORD if the server asks for one"
                )
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    /// Runs one statement and discards any rows, whatever their types.
    func execute(_ sql: String, _ parameters: [StoreCell] = []) async throws {
        try await query(sql, parameters) { _ in }
    }

    /// Runs one statement and returns its rows, each column as a cell.
    func rows(_ sql: String, _ parameters: [StoreCell] = []) async throws -> [[StoreCell]] {
        try await rowsWithColumns(sql, parameters).rows
    }

    /// Runs one statement and returns its column names and its rows.
    func rowsWithColumns(_ sql: String, _ parameters: [StoreCell] = []) async throws -> (columns: [String], rows: [[StoreCell]]) {
        var columns: [String] = []
        var rows: [[StoreCell]] = []
        try await query(sql, parameters) { row in
            if columns.isEmpty { columns = row.map(\.columnName) }
            rows.append(try row.map(Self.cell))
        }
        return (columns, rows)
    }

    private func query(_ sql: String, _ parameters: [StoreCell], each: (PostgresRow) throws -> Void) async throws {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            switch parameter {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        do {
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
                try each(row)
            }
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError("\(address): \(Self.describe(error))")
        }
    }

    private static func cell(_ cell: PostgresCell) throws -> StoreCell {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .text, .varchar, .name, .bpchar: return .text(try cell.decode(String.self))
        default:
            throw AssayError(
                "column \(cell.columnName) has PostgreSQL type \(cell.dataType), which no Assay table uses; the database was changed outside Assay"
            )
        }
    }

    /// Closes the connection; a statement still open in a transaction is rolled back by the server.
    func close() async {
        try? await connection.close()
    }

    /// The server's own message (and SQLSTATE) where there is one, else the error itself.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] {
            let detail = error.serverInfo?[.detail].map { ": \($0)" } ?? ""
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + detail + state
        }
        if let connection = error.underlying as? NIOConnectionError {
            if connection.dnsAError != nil || connection.dnsAAAAError != nil { return "the host name \(connection.host) does not resolve" }
            let reasons = connection.connectionErrors.map { failure in
                (failure.error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? String(describing: failure.error)
            }
            return Array(Set(reasons)).sorted().joined(separator: "; ")
        }
        return error.code.description + (error.underlying.map { ": \($0)" } ?? "")
    }
}

extension PostgresSession {
    /// The tables of the connection's schema, the schema's bookkeeping left out.
    func tableNames() async throws -> Set<String> {
        let rows = try await rows(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return Set(rows.compactMap { $0.first?.text }).subtracting([CopiedTable.migrationsTable])
    }

    /// A table's columns in their order in the schema.
    func columns(of table: String) async throws -> [String] {
        try await rows(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            [.text(table)]
        ).compactMap { $0.first?.text }
    }
}
