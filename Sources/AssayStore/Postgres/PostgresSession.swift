import AssaySupport
import Foundation
import PostgresNIO
import Synchronization

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

    /// Connects and logs in, waiting on this thread (never the driver's event loop) for at most
    /// `connectSeconds`.
    static func connect(to address: PostgresAddress) throws -> PostgresSession {
        var settings = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: try tls(for: address))
        settings.options.connectTimeout = .seconds(connectSeconds)
        // The messages that matter become errors; the driver's own log would only clutter the terminal.
        let logger = quietLogger
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let connected = eventLoop.makePromise(of: PostgresConnection.self)
        // Whichever comes first, the connection or the deadline, settles the promise; a connection
        // that arrives after the deadline is closed.
        let settled = Mutex(false)
        func settle() -> Bool {
            settled.withLock { done in
                defer { done = true }
                return !done
            }
        }
        let deadline = eventLoop.scheduleTask(in: .seconds(connectSeconds)) {
            if settle() { connected.fail(ConnectDeadline()) }
        }
        PostgresConnection.connect(on: eventLoop, configuration: settings, id: 1, logger: logger).whenComplete { result in
            guard settle() else {
                // On the event loop, which must not wait: the close completes there later.
                if case .success(let late) = result {
                    let closing: EventLoopFuture<Void> = late.close()
                    closing.whenComplete { _ in withExtendedLifetime(late) {} }
                }
                return
            }
            deadline.cancel()
            connected.completeWith(result)
        }
        do {
            return PostgresSession(address: address, connection: try connected.futureResult.wait(), logger: logger)
        } catch is ConnectDeadline {
            throw AssayError(
                "\(address): no answer within \(connectSeconds) s while connecting and logging in; check the host and port, and give the password in the URL or $PGPASSWORD if the server asks for one"
            )
        } catch {
            throw AssayError(
                "\(address): cannot connect (\(describe(error))); check that the server runs, that the URL's host, port, user and database are right, and the password (in the URL or $PGPASSWORD)"
            )
        }
    }

    private struct ConnectDeadline: Error {}

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

    /// Runs one statement and discards any rows, whatever their types.
    func execute(_ sql: String, _ parameters: [StoreCell] = []) throws {
        try run(sql, parameters, decoding: false)
    }

    /// Runs one statement and returns its rows, each column as a cell.
    func rows(_ sql: String, _ parameters: [StoreCell] = []) throws -> [[StoreCell]] {
        try rowsWithColumns(sql, parameters).rows
    }

    /// Runs one statement and returns its column names and its rows.
    func rowsWithColumns(_ sql: String, _ parameters: [StoreCell] = []) throws -> (columns: [String], rows: [[StoreCell]]) {
        try run(sql, parameters, decoding: true)
    }

    /// Sends the statement and waits on this thread until its last row is in. Callers are
    /// synchronous code on their own threads, never the driver's event loop, which meanwhile
    /// decodes each row as it arrives (the driver's collect-all future copies its growing buffer
    /// on every read, which made a million-row review queue take twenty seconds).
    @discardableResult
    private func run(_ sql: String, _ parameters: [StoreCell], decoding: Bool) throws -> (columns: [String], rows: [[StoreCell]]) {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            switch parameter {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        let collected = Mutex<(columns: [String], rows: [[StoreCell]])>(([], []))
        do {
            let finished = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) { row in
                guard decoding else { return }
                let cells = try row.map(Self.cell)
                collected.withLock { result in
                    if result.columns.isEmpty { result.columns = row.map(\.columnName) }
                    result.rows.append(cells)
                }
            }
            _ = try finished.wait()
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError("\(address): \(Self.describe(error))")
        }
        return collected.withLock { result in
            let taken = result
            result = ([], [])
            return taken
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
                "column \(cell.columnName) has PostgreSQL type \(cell.dataType), which no Assay table uses; \(AssayStore.changedOutsideAssay)"
            )
        }
    }

    /// Closes the connection; a transaction still open is rolled back by the server.
    func close() {
        connection.closeAndWait()
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
    func tableNames() throws -> Set<String> {
        let rows = try rows(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return Set(rows.compactMap { $0.first?.text }).subtracting([CopiedTable.migrationsTable])
    }

    /// A table's columns in their order in the schema.
    func columns(of table: String) throws -> [String] {
        try rows(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            [.text(table)]
        ).compactMap { $0.first?.text }
    }
}

extension PostgresConnection {
    /// Closes and waits for it; the driver has both a future and an async `close()`, so this names the future one.
    fileprivate func closeAndWait() {
        let closing: EventLoopFuture<Void> = close()
        try? closing.wait()
    }
}
