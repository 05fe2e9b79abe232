import AssaySupport
import Foundation

/// Builds a GGUF version 3 file: metadata in insertion order, the tensor table, then the tensor
/// data, each tensor padded to the alignment.
///
/// Tensors are declared by name, shape and type, so the header and every offset are known before
/// any data; each tensor's bytes are produced only when the file is written, one tensor at a time,
/// and go straight to the output. Memory therefore stays at what one producer holds, whatever the
/// model's size.
public struct GGUFWriter: Sendable {
    /// Produces one tensor's encoded bytes, in order, by handing successive chunks to `emit`;
    /// called once each time the file is written. The chunks must add up to the tensor's size.
    public typealias TensorBytes = @Sendable (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void

    private struct PendingTensor: Sendable {
        let name: String
        let dimensions: [Int]
        let type: GGMLType
        let byteCount: Int
        let bytes: TensorBytes
    }

    private var entries: [(key: String, value: GGUFValue)] = []
    private var pendingTensors: [PendingTensor] = []
    private var tensorNames = Set<String>()
    private let defaultAlignment: Int

    /// `alignment` must be a power of two; a value other than GGUF's default 32 is recorded as
    /// `general.alignment`.
    public init(alignment: Int = 32) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        defaultAlignment = alignment
        if alignment != GGUFParser.defaultAlignment {
            set(GGUFParser.alignmentKey, .uint32(UInt32(alignment)))
        }
    }

    /// Sets `key`: a new key goes last, an existing key keeps its position. Array elements must
    /// all have the same case (as every array read from a file does).
    public mutating func set(_ key: String, _ value: GGUFValue) {
        precondition(GGUFWriter.isHomogeneous(value), "GGUF arrays hold elements of one type: \(key)")
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }

    public var metadataKeys: [String] { entries.map(\.key) }

    /// Adds a tensor whose data `bytes` produces, encoded as `type`, when the file is written.
    public mutating func addTensor(name: String, dimensions: [Int], type: GGMLType, bytes: @escaping TensorBytes) throws {
        guard !tensorNames.contains(name) else {
            throw GGUFError("tensor \(name.quotedForMessage) is added twice; tensor names must be unique")
        }
        guard let info = GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: 0) else {
            throw GGUFError(
                "tensor \(name.quotedForMessage) has shape \(dimensions): it needs 1 to "
                    + "\(GGUFTensorInfo.maximumDimensions) dimensions, each at least 1, and a row length "
                    + "that is a multiple of the \(type.name) block size \(type.blockSize)")
        }
        tensorNames.insert(name)
        pendingTensors.append(
            PendingTensor(
                name: name, dimensions: dimensions, type: type,
                byteCount: info.byteCount, bytes: bytes))
    }

    /// Adds a tensor whose `data` is already encoded as `type` (and is held until the file is written).
    public mutating func addTensor(name: String, dimensions: [Int], type: GGMLType, data: [UInt8]) throws {
        if let expected = GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: 0)?.byteCount,
            expected != data.count
        {
            throw GGUFError(
                "tensor \(name.quotedForMessage) (\(type.name), shape \(dimensions)) needs "
                    + "\(expected) bytes but \(data.count) were given")
        }
        try addTensor(name: name, dimensions: dimensions, type: type) { emit in try data.withUnsafeBytes(emit) }
    }

    /// The alignment the file will use: `general.alignment` when set to a power of two.
    private var alignment: Int {
        guard let value = entries.first(where: { $0.key == GGUFParser.alignmentKey })?.value.int,
            value > 0, value & (value - 1) == 0
        else { return defaultAlignment }
        return value
    }

    /// The whole file in memory (for small files: tests and fixtures).
    public func bytes() throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(byteCount)
        try emit(into: &output)
        return output
    }

    /// The size of the file, known before any tensor data is produced.
    public var byteCount: Int {
        let alignment = alignment
        return pendingTensors.reduce(headerSize) { $0 + GGUFWriter.padded($1.byteCount, to: alignment) }
    }

    /// The header, metadata and tensor table, padded to the alignment.
    private var headerSize: Int {
        var size = GGUFParser.magic.count + 4 + 8 + 8
        for (key, value) in entries {
            size += 8 + key.utf8.count + 4 + GGUFWriter.payloadSize(value)
        }
        for tensor in pendingTensors {
            size += 8 + tensor.name.utf8.count + 4 + 8 * tensor.dimensions.count + 4 + 8
        }
        return GGUFWriter.padded(size, to: alignment)
    }

    private static func payloadSize(_ value: GGUFValue) -> Int {
        switch value {
        case .string(let text): 8 + text.utf8.count
        case .array(let elements): 4 + 8 + elements.reduce(0) { $0 + payloadSize($1) }
        default: value.valueType.minimumEncodedSize
        }
    }

    /// Writes the file atomically and durably: a temporary file beside `url`, synced, then renamed,
    /// so an error (in I/O or in a tensor's producer) never leaves a partial file under the final
    /// name. `willWriteTensor` is called with each tensor's index, in order, before its data is produced.
    public func write(to url: URL, willWriteTensor: (Int) -> Void = { _ in }) throws {
        var file = try AtomicFileOutput(replacing: url, what: "the GGUF file", size: byteCount)
        do {
            try emit(into: &file, willWriteTensor: willWriteTensor)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes the header, then each tensor's data as its producer hands it over, with padding.
    private func emit<Output: GGUFOutput>(into output: inout Output, willWriteTensor: (Int) -> Void = { _ in }) throws {
        let alignment = alignment
        var header = ByteSink()
        header.append(GGUFParser.magic)
        header.append(UInt32(3))
        header.append(UInt64(pendingTensors.count))
        header.append(UInt64(entries.count))
        for (key, value) in entries {
            header.append(key)
            header.append(value.valueType.rawValue)
            header.append(value)
        }
        var dataOffset = 0
        for tensor in pendingTensors {
            header.append(tensor.name)
            header.append(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { header.append(UInt64(dimension)) }
            header.append(tensor.type.rawValue)
            header.append(UInt64(dataOffset))
            dataOffset = GGUFWriter.padded(dataOffset + tensor.byteCount, to: alignment)
        }
        header.pad(to: alignment)
        try header.bytes.withUnsafeBytes { try output.write($0) }

        let padding = [UInt8](repeating: 0, count: alignment)
        for (index, tensor) in pendingTensors.enumerated() {
            willWriteTensor(index)
            var produced = 0
            let wrongSize = {
                GGUFError(
                    "tensor \(tensor.name.quotedForMessage) (\(tensor.type.name), shape "
                        + "\(tensor.dimensions)) needs \(tensor.byteCount) bytes but its data had \(produced)")
            }
            try tensor.bytes { chunk in
                produced += chunk.count
                guard produced <= tensor.byteCount else { throw wrongSize() }
                try output.write(chunk)
            }
            guard produced == tensor.byteCount else { throw wrongSize() }
            let padded = GGUFWriter.padded(tensor.byteCount, to: alignment)
            try padding.withUnsafeBytes { try output.write(UnsafeRawBufferPointer(rebasing: $0[..<(padded - tensor.byteCount)])) }
        }
    }

    private static func padded(_ offset: Int, to alignment: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }

    private static func isHomogeneous(_ value: GGUFValue) -> Bool {
        guard case .array(let elements) = value else { return true }
        guard let first = elements.first else { return true }
        return elements.allSatisfy { $0.valueType == first.valueType && isHomogeneous($0) }
    }
}

/// Little-endian encoding of GGUF fields into a growing byte array.
private struct ByteSink {
    var bytes: [UInt8] = []

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ string: String) {
        append(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    mutating func pad(to alignment: Int) {
        let remainder = bytes.count % alignment
        if remainder != 0 { bytes.append(contentsOf: repeatElement(0, count: alignment - remainder)) }
    }

    /// The value's payload (its type id is written by the caller, or once per array).
    mutating func append(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let v): append(v)
        case .array(let elements):
            // An empty array's element type is not kept by GGUFValue; UINT8 is as good as any.
            append((elements.first?.valueType ?? .uint8).rawValue)
            append(UInt64(elements.count))
            for element in elements { append(element) }
        }
    }
}
