import AssayCore
import AssaySupport
import GRDB

/// What every Assay table row shares: snake_case columns for camelCase properties, and a typed
/// integer primary key that SQLite assigns on insert (nil only before the row is stored).
public protocol AssayRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    associatedtype Entity
    var id: EntityID<Entity>? { get set }
}

extension AssayRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = EntityID(inserted.rowID)
    }

    /// The id of a record read from the database. A record that was never stored has none, and
    /// asking for it is a bug in Assay, reported as an error rather than a crash.
    public func storedID() throws -> EntityID<Entity> {
        guard let id else {
            throw AssayError("internal error: a \(Self.databaseTableName) row was used before it was stored; please report it")
        }
        return id
    }

    /// Inserts the record and returns the id SQLite gave it.
    mutating func insertReturningID(_ db: Database) throws -> EntityID<Entity> {
        try insert(db)
        return EntityID(db.lastInsertedRowID)
    }
}
