import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// Stores `dataset` under `name` in one transaction.
    ///
    /// The same content under the same name changes nothing; different content under an existing
    /// name is refused unless `replace` is set, and even then only while no run uses the dataset.
    public func importDataset(
        _ dataset: LabelledDataset, name: String, sourcePath: String,
        format: DatasetFormat, replace: Bool
    ) throws -> DatasetImportOutcome {
        guard !name.allSatisfy(\.isWhitespace) else {
            throw AssayError("the dataset name is empty; pass --name with a short name such as financial-sentences")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AssayError(
                "the dataset name contains a line break or control character; pass --name with a short name such as financial-sentences")
        }
        return try writing { statements in
            var replacedID: DatasetID?
            let existing = try Self.decodingRow("dataset '\(name)'") {
                try statements.fetchOne(DatasetRecord.self, "SELECT * FROM dataset WHERE name = ?", [name.databaseValue])
            }
            if let existing, let existingID = existing.id {
                if existing.contentHash == dataset.contentHash && existing.labels == dataset.labels && existing.kind == dataset.kind {
                    return .unchanged(id: existingID)
                }
                guard replace else {
                    throw AssayError(
                        "a dataset named '\(name)' already exists with different content (imported from \(existing.sourcePath)); pass --replace to replace it or choose another --name"
                    )
                }
                let runs: Int = try statements.value("SELECT COUNT(*) FROM run WHERE dataset_id = ?", [existingID.databaseValue]) ?? 0
                guard runs == 0 else {
                    throw AssayError(
                        "dataset '\(name)' has \(runs) run(s) whose predictions point at its items; import the new content under another --name"
                    )
                }
                try statements.execute("DELETE FROM dataset WHERE id = ?", [existingID.databaseValue])
                replacedID = existingID
            }
            let record = DatasetRecord(
                name: name, sourcePath: sourcePath, format: format,
                textColumn: dataset.textColumn, labelColumn: dataset.labelColumn,
                labels: dataset.labels, contentHash: dataset.contentHash, kind: dataset.kind)
            let datasetID = try statements.inserted(record).storedID()
            // Many rows per statement: one round trip per chunk when the store is across a network.
            let rowsPerStatement = 500
            for start in stride(from: 0, to: dataset.rows.count, by: rowsPerStatement) {
                let chunk = dataset.rows[start..<min(start + rowsPerStatement, dataset.rows.count)]
                let values = chunk.map { row -> [DatabaseValue] in
                    [
                        datasetID.databaseValue, row.row.databaseValue, row.text.databaseValue, row.label.databaseValue,
                        SHA256.hex(of: Array(row.text.utf8)).databaseValue, Self.fieldsJSON(row.fields).databaseValue,
                    ]
                }
                try statements.execute(
                    "INSERT INTO item (dataset_id, position, text, gold_label, text_hash, fields) VALUES "
                        + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", "),
                    values.flatMap { $0 })
            }
            return replacedID == nil ? .created(id: datasetID) : .replaced(id: datasetID)
        }
    }

    /// A row's other columns as a JSON object; nil when there are none (classification).
    static func fieldsJSON(_ fields: [String: String]) -> String? {
        guard !fields.isEmpty, let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every dataset, oldest first.
    public func datasetSummaries() throws -> [DatasetSummary] {
        try reading { statements in
            try Self.decodingRow("a row of the dataset table") {
                try statements.fetchAll(DatasetRecord.self, "SELECT * FROM dataset ORDER BY id")
            }
            .map { try summary(of: $0, in: statements) }
        }
    }

    /// One dataset by name.
    public func datasetSummary(named name: String) throws -> DatasetSummary {
        try reading { statements in
            try summary(of: try dataset(named: name, in: statements), in: statements)
        }
    }

    /// The dataset of this name, or an error listing the ones that exist.
    func dataset(named name: String, in statements: any StoreStatements) throws -> DatasetRecord {
        if let record = try Self.decodingRow(
            "dataset '\(name)'",
            { try statements.fetchOne(DatasetRecord.self, "SELECT * FROM dataset WHERE name = ?", [name.databaseValue]) })
        {
            return record
        }
        let names = try statements.rows("SELECT name FROM dataset", []).map { $0["name"] as String }.sorted()
        let known =
            names.isEmpty ? "none has been imported yet (assay dataset import FILE --name NAME)" : "known: \(names.joined(separator: ", "))"
        throw AssayError("no dataset named '\(name)'; \(known)")
    }

    private func summary(of record: DatasetRecord, in statements: any StoreStatements) throws -> DatasetSummary {
        let rows = try statements.rows(
            "SELECT text, gold_label FROM item WHERE dataset_id = ? ORDER BY position", [record.id.databaseValue])
        let pairs: [(text: String, label: String)] = rows.map { ($0["text"], $0["gold_label"]) }
        var counts: [String: Int] = [:]
        if [.classification, .multipleChoice].contains(record.kind) {
            for pair in pairs { counts[pair.label, default: 0] += 1 }
        }
        let duplicates = DatasetStatistics.duplicates(in: pairs.map(\.text))
        let conflicts = record.kind == .classification ? DatasetStatistics.conflicts(in: pairs) : []
        return DatasetSummary(
            id: try record.storedID(), name: record.name, sourcePath: record.sourcePath, contentHash: record.contentHash,
            importedAt: record.importedAt, items: pairs.count, kind: record.kind,
            labelOrder: record.kind == .multipleChoice ? counts.keys.sorted() : record.labels, labels: counts,
            duplicates: duplicates.reduce(0) { $0 + $1.occurrences - 1 }, conflicting: conflicts.count,
            duplicateTexts: duplicates.map { .init(text: $0.text, occurrences: $0.occurrences) },
            conflictingTexts: conflicts.map { .init(text: $0.text, labels: $0.labels) })
    }
}
