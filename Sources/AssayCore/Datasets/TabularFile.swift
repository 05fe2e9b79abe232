import AssaySupport
import Foundation

/// A CSV or JSONL file read as named columns of text, each record remembering where it came from.
///
/// Datasets and externally made predictions are both read through this type, so both get the same
/// handling of quoting, encodings and error locations.
public struct TabularFile: Sendable {
    public struct Record: Sendable {
        /// 1-based position among the data records.
        public let row: Int
        /// 1-based line of the file on which the record starts.
        public let line: Int
        public let values: [String: String]
    }

    public let source: String
    public let columns: [String]
    public let records: [Record]

    /// Parses `bytes`; `source` names the file in error messages.
    public init(bytes: [UInt8], source: String, format: DatasetFormat) throws {
        self.source = source
        if bytes.isEmpty || bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw AssayError(
                "\(source) is empty; expected \(format == .csv ? "a header line followed by rows" : "one JSON object per line")")
        }
        switch format {
        case .csv: (columns, records) = try Self.readCSV(bytes, source: source)
        case .jsonl: (columns, records) = try Self.readJSONL(bytes, source: source)
        }
        if records.isEmpty {
            throw AssayError("\(source) has a header but no rows; add at least one row")
        }
    }

    /// The column to read: the one the user named, else the first of `defaults` present.
    public func column(named requested: String?, defaults: [String], role: String, option: String) throws -> String {
        if let requested {
            guard columns.contains(requested) else {
                throw AssayError(
                    "\(source): no column '\(requested)' (found: \(columns.joined(separator: ", "))); pass \(option) with one of those")
            }
            return requested
        }
        let lowered = columns.map { $0.lowercased() }
        for candidate in defaults {
            if let index = lowered.firstIndex(of: candidate) { return columns[index] }
        }
        throw AssayError("\(source): no \(role) column (found: \(columns.joined(separator: ", "))); name it with \(option)")
    }

    private static func readCSV(_ bytes: [UInt8], source: String) throws -> ([String], [Record]) {
        let rows = try CSVReader(source: source).records(in: bytes)
        guard let header = rows.first else {
            throw AssayError("\(source) is empty; expected a header line followed by rows")
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in columns where !seen.insert(name).inserted {
            throw AssayError("\(source) line 1: the header names column '\(name)' twice; rename one of them")
        }
        var records: [Record] = []
        records.reserveCapacity(rows.count - 1)
        for (offset, record) in rows.dropFirst().enumerated() {
            guard record.fields.count == columns.count else {
                throw AssayError(
                    "\(source) row \(offset + 1) (line \(record.line)): \(record.fields.count) fields but the header has \(columns.count); quote fields that contain commas"
                )
            }
            records.append(
                Record(row: offset + 1, line: record.line, values: Dictionary(uniqueKeysWithValues: zip(columns, record.fields))))
        }
        return (columns, records)
    }

    private static func readJSONL(_ bytes: [UInt8], source: String) throws -> ([String], [Record]) {
        if let bad = UTF8Validation.firstInvalidOffset(in: bytes) {
            throw AssayError("\(source): invalid UTF-8 at byte offset \(bad); re-save the file as UTF-8")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw AssayError("\(source): NUL byte at byte offset \(nul); this looks like a binary file, not JSON Lines")
        }
        var columns: [String] = []
        var known = Set<String>()
        var records: [Record] = []
        var lineNumber = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) { continue }
            guard line.count <= CSVReader.maximumFieldBytes else {
                throw AssayError(
                    "\(source) line \(lineNumber): longer than \(CSVReader.maximumFieldBytes) bytes; check that this is a JSON Lines file")
            }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line))
            } catch {
                throw AssayError(
                    "\(source) line \(lineNumber): not valid JSON; each line must be one JSON object such as {\"text\": \"...\", \"label\": \"positive\"}"
                )
            }
            guard let dictionary = object as? [String: Any] else {
                let found = object is [Any] ? "an array" : "a bare value"
                throw AssayError(
                    "\(source) line \(lineNumber): expected a JSON object, found \(found); each line must be one object such as {\"text\": \"...\", \"label\": \"positive\"}"
                )
            }
            var values: [String: String] = [:]
            for key in dictionary.keys.sorted() {
                guard let text = Self.text(of: dictionary[key]) else { continue }
                values[key] = text
                if known.insert(key).inserted { columns.append(key) }
            }
            records.append(Record(row: records.count + 1, line: lineNumber, values: values))
        }
        return (columns, records)
    }

    /// Scalars become text; a nested array or object becomes its JSON text (a multiple-choice
    /// item's options, a list of references); null is no value.
    private static func text(of value: Any?) -> String? {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        case let nested? where nested is [Any] || nested is [String: Any]:
            return (try? JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) }
        default: return nil
        }
    }
}
