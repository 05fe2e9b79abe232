import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// Registers `model`. The same definition under the same name changes nothing and returns the
    /// stored record; a different one is refused, because runs point at the name.
    @discardableResult
    public func addModel(_ model: ModelRecord) throws -> (record: ModelRecord, created: Bool) {
        try database.write { db in
            if let existing = try ModelRecord.filter(Column("name") == model.name).fetchOne(db) {
                if existing.backend == model.backend && existing.reference == model.reference && existing.host == model.host
                    && existing.endpoints == model.endpoints
                    && existing.fileSha256 == model.fileSha256 && existing.apiKeyEnv == model.apiKeyEnv
                {
                    return (existing, false)
                }
                throw AssayError(
                    "a model named '\(model.name)' already exists (\(existing.backend.rawValue) \(existing.reference)); choose another name"
                )
            }
            return (try model.inserted(db), true)
        }
    }

    /// Every model, in the order they were added.
    public func models() throws -> [ModelRecord] {
        try database.read { db in try ModelRecord.order(Column("id")).fetchAll(db) }
    }

    /// The model of this name, or an error listing the ones that exist.
    public func model(named name: String) throws -> ModelRecord {
        try database.read { db in try model(named: name, in: db) }
    }

    func model(named name: String, in db: Database) throws -> ModelRecord {
        if let record = try ModelRecord.filter(Column("name") == name).fetchOne(db) {
            return record
        }
        let names = try String.fetchAll(db, sql: "SELECT name FROM model ORDER BY name")
        let known =
            names.isEmpty
            ? "none is registered yet (assay model fetch smollm2-135m, or assay model add NAME --gguf PATH)"
            : "known: \(names.joined(separator: ", "))"
        throw AssayError("no model named '\(name)'; \(known)")
    }
}
