import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// Registers `model`. The same definition under the same name changes nothing and returns the
    /// stored record; a different one is refused, because runs point at the name.
    @discardableResult
    public func addModel(_ model: ModelRecord) throws -> (record: ModelRecord, created: Bool) {
        try writing { statements in
            if let existing = try statements.fetchOne(ModelRecord.self, "SELECT * FROM model WHERE name = ?", [model.name.databaseValue]) {
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
            guard let stored = try statements.inserted(model, skippingConflictOn: "name") else {
                throw AssayError(
                    "a model named '\(model.name)' was added by another command just now; run assay model list and choose another name")
            }
            return (stored, true)
        }
    }

    /// Every model, in the order they were added.
    public func models() throws -> [ModelRecord] {
        try reading { statements in try statements.fetchAll(ModelRecord.self, "SELECT * FROM model ORDER BY id") }
    }

    /// The model of this name, or an error listing the ones that exist.
    public func model(named name: String) throws -> ModelRecord {
        try reading { statements in try model(named: name, in: statements) }
    }

    func model(named name: String, in statements: any StoreStatements) throws -> ModelRecord {
        if let record = try statements.fetchOne(ModelRecord.self, "SELECT * FROM model WHERE name = ?", [name.databaseValue]) {
            return record
        }
        let names = try statements.rows("SELECT name FROM model", []).map { $0["name"] as String }.sorted()
        let known =
            names.isEmpty
            ? "none is registered yet (assay model fetch smollm2-135m, or assay model add NAME --gguf PATH)"
            : "known: \(names.joined(separator: ", "))"
        throw AssayError("no model named '\(name)'; \(known)")
    }
}
