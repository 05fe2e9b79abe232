import AssaySupport

/// An RFC 4180 CSV reader over raw bytes that reports every defect with its location.
///
/// Handles quoted fields with embedded commas, quotes and newlines, a UTF-8 byte-order mark, and
/// CRLF or LF line ends. It validates UTF-8 itself so that an error can name the byte offset.
public struct CSVReader: Sendable {
    /// A parsed record and the 1-based line on which it starts.
    public struct Record: Sendable, Equatable {
        public let fields: [String]
        public let line: Int
    }

    /// The largest field accepted; anything longer is almost certainly a broken quote or the wrong file.
    public static let maximumFieldBytes = 1 << 20

    private let source: String

    /// - Parameter source: the file name used in error messages.
    public init(source: String) {
        self.source = source
    }

    public func records(in bytes: [UInt8]) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteStartLine = 1
        var fieldWasQuoted = false

        if let bad = UTF8Validation.firstInvalidOffset(in: bytes) {
            let badLine = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            throw AssayError("\(source) line \(badLine): invalid UTF-8 at byte offset \(bad); re-save the file as UTF-8")
        }

        func finishField() throws {
            // The whole input was validated as UTF-8 up front, so decoding cannot substitute anything.
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws {
            try finishField()
            // A line holding nothing at all is skipped rather than read as a record with one empty field.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                throw AssayError(
                    "\(source) line \(line): NUL byte at byte offset \(index); this looks like a binary or UTF-16 file, re-save it as UTF-8 CSV"
                )
            }
            if field.count >= Self.maximumFieldBytes {
                throw AssayError(
                    "\(source) line \(inQuotes ? quoteStartLine : recordLine): a field is longer than \(Self.maximumFieldBytes) bytes (at byte offset \(index)); check for an unbalanced quote or the wrong file"
                )
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteStartLine = line
                } else {
                    // A stray quote inside an unquoted field is kept as text, as most spreadsheet tools do.
                    field.append(byte)
                }
            case UInt8(ascii: ","):
                try finishField()
            case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                break
            case UInt8(ascii: "\n"):
                try finishRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw AssayError(
                "\(source) line \(quoteStartLine): unterminated quoted field (the opening quote is never closed); close the quote or double any quote inside the text (\"\")"
            )
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
            try finishRecord()
        }
        return records
    }
}
