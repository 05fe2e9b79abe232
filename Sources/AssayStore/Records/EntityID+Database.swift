import AssayCore
import GRDB

// Typed ids and the stored enums bind and read as their raw values in queries.
extension EntityID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> EntityID? {
        Int64.fromDatabaseValue(dbValue).map(EntityID.init(rawValue:))
    }
}

extension RunMode: DatabaseValueConvertible {}
extension RunStatus: DatabaseValueConvertible {}
extension ModelBackend: DatabaseValueConvertible {}
extension ScoreKind: DatabaseValueConvertible {}
extension ParseStatus: DatabaseValueConvertible {}
extension EnergyMethod: DatabaseValueConvertible {}
extension EnergyScope: DatabaseValueConvertible {}
extension DatasetFormat: DatabaseValueConvertible {}
extension TaskKind: DatabaseValueConvertible {}
extension FlipCategory: DatabaseValueConvertible {}
