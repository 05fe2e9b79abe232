import AssaySupport
import Foundation

/// An importance matrix, as llama.cpp's `llama-imatrix` writes it and `llama-quantize --imatrix`
/// reads it: for each weight matrix, the sum over the calibration tokens of each input column's
/// squared activation, and how many tokens were summed. Quantizing with it weights each column's
/// rounding error by how strongly that column is driven, so the columns that matter keep more
/// precision.
///
/// Two file forms are read:
/// - GGUF (llama.cpp's default since 2025): `general.type = imatrix`, tensors `NAME.in_sum2`
///   (F32, columns x matrices) and `NAME.counts` (F32, 1 x matrices), and the keys
///   `imatrix.datasets`, `imatrix.chunk_count` and `imatrix.chunk_size`;
/// - the legacy `.dat`: an i32 entry count; per entry an i32-length name, i32 calls, i32 values
///   and the values, each a mean times the calls; then optionally the i32 chunk count and the
///   i32-length dataset name.
///
/// Assay writes the GGUF form, or the legacy one for a path ending in `.dat`.
public struct ImportanceMatrix: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Σ x² per input column, matrix after matrix (one matrix except in mixture-of-experts layers).
        public var sums: [Float]
        /// Tokens summed, per matrix.
        public var counts: [Float]

        public init(sums: [Float], counts: [Float]) {
            self.sums = sums
            self.counts = counts
        }
    }

    public var entries: [String: Entry]
    /// The calibration texts it was computed on.
    public var datasets: [String]
    public var chunkCount: Int
    public var chunkSize: Int

    public init(entries: [String: Entry], datasets: [String], chunkCount: Int, chunkSize: Int) {
        self.entries = entries
        self.datasets = datasets
        self.chunkCount = chunkCount
        self.chunkSize = chunkSize
    }

    static let typeKey = "general.type"
    static let datasetsKey = "imatrix.datasets"
    static let chunkCountKey = "imatrix.chunk_count"
    static let chunkSizeKey = "imatrix.chunk_size"
    static let sumsSuffix = ".in_sum2"
    static let countsSuffix = ".counts"

    /// The per-column weights for tensor `name` with rows of `columns` values: the mean squared
    /// activation of each column (1 where a matrix saw no token, as llama-quantize does), or nil
    /// when the matrix has no entry.
    public func weights(for name: String, columns: Int) throws -> [Float]? {
        guard let entry = entries[name] else { return nil }
        guard entry.counts.count == 1, entry.sums.count == columns else {
            throw GGUFError(
                "the importance matrix's entry for \(name.quotedForMessage) has \(entry.sums.count) values in "
                    + "\(entry.counts.count) matrices, but the tensor has rows of \(columns); it was computed for another model")
        }
        let count = entry.counts[0]
        return count > 0 ? entry.sums.map { $0 / count } : [Float](repeating: 1, count: columns)
    }

    /// Reads either form, recognised by the GGUF magic; errors name the file and the byte offset.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GGUFError("cannot read the importance matrix \(url.path): \(error.localizedDescription)")
        }
        do {
            if data.starts(with: Array("GGUF".utf8)) {
                try self.init(gguf: GGUFFile(bytes: [UInt8](data)))
            } else {
                try self.init(legacy: data)
            }
        } catch let error as GGUFError {
            throw error.located(in: url.path)
        }
    }

    /// The GGUF form.
    init(gguf file: GGUFFile) throws {
        guard file.metadata[Self.typeKey]?.string == "imatrix" else {
            throw GGUFError(
                "this GGUF file is not an importance matrix (general.type is "
                    + "\(file.metadata[Self.typeKey]?.string?.quotedForMessage ?? "missing")); give a file made by assay imatrix or llama-imatrix"
            )
        }
        var entries: [String: Entry] = [:]
        for info in file.tensors where info.name.hasSuffix(Self.sumsSuffix) {
            let name = String(info.name.dropLast(Self.sumsSuffix.count))
            guard let countsInfo = file.tensor(named: name + Self.countsSuffix) else {
                throw GGUFError("tensor \(info.name.quotedForMessage) has no \(Self.countsSuffix) tensor beside it; the file is incomplete")
            }
            guard info.type == .f32, countsInfo.type == .f32, info.dimensions.count <= 2,
                countsInfo.elementCount == (info.dimensions.count == 2 ? info.dimensions[1] : 1)
            else {
                throw GGUFError(
                    "tensors of \(name.quotedForMessage) have types \(info.type.name) and \(countsInfo.type.name) and shapes "
                        + "\(info.dimensions) and \(countsInfo.dimensions); an importance matrix holds F32 sums [columns, matrices] and counts [1, matrices]"
                )
            }
            entries[name] = Entry(sums: try file.floats(info), counts: try file.floats(countsInfo))
        }
        self.init(
            entries: entries, datasets: file.metadata[Self.datasetsKey]?.strings ?? [],
            chunkCount: file.metadata[Self.chunkCountKey]?.int ?? 0, chunkSize: file.metadata[Self.chunkSizeKey]?.int ?? 0)
    }

    /// The legacy `.dat` form. Its values are means times the number of calls; they are kept
    /// as sums with the calls as the count, which gives the same weights.
    init(legacy data: Data) throws {
        let bytes = [UInt8](data)
        var entries: [String: Entry] = [:]
        var datasets: [String] = []
        var chunkCount = 0
        try bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            let entryCount = try cursor.read(Int32.self, for: "the entry count")
            guard entryCount >= 0 else {
                throw GGUFError(offset: 0, "the entry count is \(entryCount); this is not an importance matrix file")
            }
            for index in 0..<Int(entryCount) {
                let name = try Self.legacyString(&cursor, for: "the name of entry \(index + 1)")
                let calls = try cursor.read(Int32.self, for: "the call count of \(name.quotedForMessage)")
                let start = cursor.offset
                let valueCount = try cursor.read(Int32.self, for: "the value count of \(name.quotedForMessage)")
                guard valueCount > 0, Int(valueCount) <= cursor.remaining / 4 else {
                    throw GGUFError(
                        offset: start,
                        "entry \(name.quotedForMessage) claims \(valueCount) values but \(cursor.remaining) bytes follow; the file is truncated or corrupt"
                    )
                }
                var values: [Float] = []
                values.reserveCapacity(Int(valueCount))
                for _ in 0..<Int(valueCount) {
                    values.append(Float(bitPattern: try cursor.read(UInt32.self, for: "the values of \(name.quotedForMessage)")))
                }
                entries[name] = Entry(sums: values, counts: [Float(max(calls, 0))])
            }
            guard cursor.remaining >= 4 else { return }
            chunkCount = Int(try cursor.read(Int32.self, for: "the chunk count"))
            guard cursor.remaining >= 4 else { return }
            datasets = [try Self.legacyString(&cursor, for: "the dataset name")]
        }
        // A legacy entry with no calls stores its values as they are (llama-quantize divides only by a positive count).
        for (name, entry) in entries where entry.counts == [0] {
            entries[name] = Entry(sums: entry.sums, counts: [1])
        }
        self.init(entries: entries, datasets: datasets, chunkCount: chunkCount, chunkSize: 0)
    }

    private static func legacyString(_ cursor: inout ByteCursor, for field: String) throws -> String {
        let start = cursor.offset
        let length = try cursor.read(Int32.self, for: "the length of \(field)")
        guard length >= 0, Int(length) <= cursor.remaining else {
            throw GGUFError(
                offset: start, "\(field) has length \(length) but \(cursor.remaining) bytes follow; the file is truncated or corrupt")
        }
        let raw = UnsafeRawBufferPointer(rebasing: cursor.bytes[cursor.offset..<cursor.offset + Int(length)])
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw GGUFError(offset: cursor.offset, "\(field) is not valid UTF-8; the file is corrupt")
        }
        try cursor.skip(Int(length), for: field)
        return string
    }

    /// Writes the file atomically: the legacy form for a `.dat` path, GGUF otherwise. Entries go
    /// in name order, as llama-imatrix writes them.
    public func write(to url: URL) throws {
        if url.pathExtension.lowercased() == "dat" {
            // Discarded on error when it goes out of scope: nothing partial is left under `url`.
            let output = try AtomicFileOutput(replacing: url, what: "the importance matrix")
            try legacyBytes().withUnsafeBytes { try output.write($0) }
            try output.commit()
            return
        }
        var writer = GGUFWriter()
        writer.set(Self.typeKey, .string("imatrix"))
        writer.set(Self.datasetsKey, .array(datasets.map(GGUFValue.string)))
        writer.set(Self.chunkCountKey, .uint32(UInt32(clamping: chunkCount)))
        writer.set(Self.chunkSizeKey, .uint32(UInt32(clamping: chunkSize)))
        for name in entries.keys.sorted() {
            guard let entry = entries[name] else { continue }
            let matrices = entry.counts.count
            try writer.addTensor(
                name: name + Self.sumsSuffix, dimensions: [entry.sums.count / max(matrices, 1), matrices], type: .f32,
                data: Self.littleEndianBytes(entry.sums))
            try writer.addTensor(
                name: name + Self.countsSuffix, dimensions: [1, matrices], type: .f32, data: Self.littleEndianBytes(entry.counts))
        }
        try writer.write(to: url)
    }

    /// The legacy form: each value as its mean times the calls, the calls being tokens per chunk rounded up.
    func legacyBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ value: Int32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func append(_ string: String) {
            append(Int32(clamping: string.utf8.count))
            bytes.append(contentsOf: string.utf8)
        }
        append(Int32(clamping: entries.count))
        for name in entries.keys.sorted() {
            guard let entry = entries[name] else { continue }
            append(name)
            let count = Int(entry.counts.max() ?? 0)
            let calls = max(chunkSize > 0 ? (count + chunkSize - 1) / chunkSize : count, 1)
            append(Int32(clamping: calls))
            append(Int32(clamping: entry.sums.count))
            let perMatrix = max(entry.sums.count / max(entry.counts.count, 1), 1)
            let means = entry.sums.enumerated().map { index, sum -> Float in
                let matrixCount = entry.counts[index / perMatrix]
                return (matrixCount > 0 ? sum / matrixCount : 1) * Float(calls)
            }
            bytes.append(contentsOf: Self.littleEndianBytes(means))
        }
        append(Int32(clamping: chunkCount))
        append(datasets.last ?? "")
        return bytes
    }

    private static func littleEndianBytes(_ values: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }
}
