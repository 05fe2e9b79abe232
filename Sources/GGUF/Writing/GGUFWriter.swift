import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a GGUF version 3 file: metadata in insertion order, the tensor table, then the tensor
/// data, each tensor padded to the alignment.
public struct GGUFWriter: Sendable {
    private struct PendingTensor: Sendable {
        let name: String
        let dimensions: [Int]
        let type: GGMLType
        let data: [UInt8]
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

    /// Adds a tensor whose `data` is already encoded as `type`.
    public mutating func addTensor(name: String, dimensions: [Int], type: GGMLType, data: [UInt8]) throws {
        guard !tensorNames.contains(name) else {
            throw GGUFError("tensor \(name.quotedForMessage) is added twice; tensor names must be unique")
        }
        guard let info = GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: 0) else {
            throw GGUFError("tensor \(name.quotedForMessage) has shape \(dimensions): it needs 1 to "
                + "\(GGUFTensorInfo.maximumDimensions) dimensions, each at least 1, and a row length "
                + "that is a multiple of the \(type.name) block size \(type.blockSize)")
        }
        guard info.byteCount == data.count else {
            throw GGUFError("tensor \(name.quotedForMessage) (\(type.name), shape \(dimensions)) needs "
                + "\(info.byteCount) bytes but \(data.count) were given")
        }
        tensorNames.insert(name)
        pendingTensors.append(PendingTensor(name: name, dimensions: dimensions, type: type, data: data))
    }

    /// The alignment the file will use: `general.alignment` when set to a power of two.
    private var alignment: Int {
        guard let value = entries.first(where: { $0.key == GGUFParser.alignmentKey })?.value.int,
              value > 0, value & (value - 1) == 0 else { return defaultAlignment }
        return value
    }

    /// The whole file.
    public func bytes() -> [UInt8] {
        let alignment = alignment
        var output = ByteSink()
        output.append(GGUFParser.magic)
        output.append(UInt32(3))
        output.append(UInt64(pendingTensors.count))
        output.append(UInt64(entries.count))
        for (key, value) in entries {
            output.append(key)
            output.append(value.valueType.rawValue)
            output.append(value)
        }
        var dataOffset = 0
        for tensor in pendingTensors {
            output.append(tensor.name)
            output.append(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { output.append(UInt64(dimension)) }
            output.append(tensor.type.rawValue)
            output.append(UInt64(dataOffset))
            dataOffset = GGUFWriter.padded(dataOffset + tensor.data.count, to: alignment)
        }
        output.pad(to: alignment)
        for tensor in pendingTensors {
            output.append(tensor.data)
            output.pad(to: alignment)
        }
        return output.bytes
    }

    /// The size of the file `bytes()` produces, without building it.
    public var byteCount: Int {
        let alignment = alignment
        var size = GGUFParser.magic.count + 4 + 8 + 8
        for (key, value) in entries {
            size += 8 + key.utf8.count + 4 + GGUFWriter.payloadSize(value)
        }
        for tensor in pendingTensors {
            size += 8 + tensor.name.utf8.count + 4 + 8 * tensor.dimensions.count + 4 + 8
        }
        size = GGUFWriter.padded(size, to: alignment)
        for tensor in pendingTensors { size += GGUFWriter.padded(tensor.data.count, to: alignment) }
        return size
    }

    private static func payloadSize(_ value: GGUFValue) -> Int {
        switch value {
        case .string(let text): 8 + text.utf8.count
        case .array(let elements): 4 + 8 + elements.reduce(0) { $0 + payloadSize($1) }
        default: value.valueType.minimumEncodedSize
        }
    }

    /// Writes the file atomically: a temporary file beside `url`, then a rename, so an error never
    /// leaves a half-written file under the final name.
    public func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        do {
            try Data(bytes()).write(to: temporary)
            // rename(2) replaces an existing file atomically (Foundation's replaceItemAt fails on Linux).
            guard rename(temporary.path, url.path) == 0 else {
                throw GGUFError(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw GGUFError("\(url.path): cannot write the GGUF file: \(error.localizedDescription); "
                + "check that the folder exists and is writable")
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
