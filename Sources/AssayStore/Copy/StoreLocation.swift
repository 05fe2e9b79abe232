import AssaySupport

/// Where a study store lives, as `--db`, `$ASSAY_DB` and `assay db copy` name it: a SQLite file
/// path, or a `postgres://` URL.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    public init(parsing text: String) throws {
        guard !text.isEmpty else {
            throw AssayError("the store is empty; give a SQLite file (study.sqlite) or a PostgreSQL URL (postgres://user@host:5432/db)")
        }
        self = PostgresAddress.isURL(text) ? .postgres(try PostgresAddress(parsing: text)) : .sqlite(path: text)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }
}
