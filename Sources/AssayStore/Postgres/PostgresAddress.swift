import AssaySupport
import Foundation

/// Where a PostgreSQL study store lives, read from a `postgres://user[:password]@host[:port]/database`
/// URL. The password may instead come from `$PGPASSWORD`, so it need not appear in shell history;
/// `description` never shows it.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP: a server on 127.0.0.1 or a trusted network.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection, without checking the certificate.
        case require
        /// TLS with the certificate checked against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String
    public let tlsMode: TLSMode

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let example = "for example postgres://alice@127.0.0.1:5432/study"
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw AssayError("'\(Self.redacting(text))' is not a PostgreSQL URL; write postgres://user@host:port/database, \(example)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw AssayError("\(Self.redacting(text)): the URL names no host; \(example)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw AssayError("\(Self.redacting(text)): the URL names no user; put one before the host, \(example)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw AssayError("\(Self.redacting(text)): the URL names no database; end it with /NAME, \(example)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw AssayError("\(Self.redacting(text)): port \(port) is out of range; use 1 to 65535 (PostgreSQL's default is 5432)")
        }
        var tlsMode = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw AssayError("\(Self.redacting(text)): unknown URL option '\(item.name)'; the only option is sslmode")
            }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw AssayError("\(Self.redacting(text)): sslmode '\(item.value ?? "")' is not one of \(modes)")
            }
            tlsMode = mode
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        self.database = database
        self.tlsMode = tlsMode
    }

    /// The URL without its password: safe for messages, logs and the terminal.
    public var description: String {
        let bracketedHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(bracketedHost):\(port)/\(database)"
    }

    /// `text` with any password between "user:" and "@" replaced, for messages about a URL that did not parse.
    static func redacting(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
