/// Parses and validates the header, metadata and tensor table of a GGUF file (versions 2 and 3).
///
/// The bytes are untrusted: every count, length, offset and size is checked against the bytes
/// present before it is used, so a truncated or crafted file gives a `GGUFError` naming the
/// byte offset, never a trap or a huge allocation.
struct GGUFParser {
    struct Layout {
        var version: UInt32
        var metadata: [String: GGUFValue]
        var metadataKeys: [String]
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    static let magic: [UInt8] = Array("GGUF".utf8)
    static let supportedVersions: ClosedRange<UInt32> = 2...3
    static let defaultAlignment = 32
    static let alignmentKey = "general.alignment"
    /// Arrays nest at most this deep (llama.cpp accepts none): bounds the parser's recursion.
    static let maximumArrayNesting = 2
    /// The fewest bytes a metadata entry and a tensor table entry occupy; bound the counts.
    static let minimumEntrySize = 8 + 4 + 1
    static let minimumTensorInfoSize = 8 + 4 + 8 + 4 + 8

    private var cursor: ByteCursor

    private init(_ bytes: UnsafeRawBufferPointer) {
        cursor = ByteCursor(bytes)
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> Layout {
        var parser = GGUFParser(bytes)
        return try parser.parse()
    }

    private mutating func parse() throws -> Layout {
        let version = try readHeader()
        let tensorCount = try readCount(of: "tensor", minimumSize: GGUFParser.minimumTensorInfoSize)
        let entryCount = try readCount(of: "metadata entry", minimumSize: GGUFParser.minimumEntrySize)

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        var alignment = GGUFParser.defaultAlignment
        for index in 0..<entryCount {
            let keyOffset = cursor.offset
            let key = try cursor.readString(for: "the key of metadata entry \(index)")
            guard metadata[key] == nil else {
                throw GGUFError(
                    offset: keyOffset,
                    "duplicate metadata key \(key.quotedForMessage) (entry \(index)); "
                        + "each key may appear once")
            }
            let valueOffset = cursor.offset
            let value = try readValue(for: "metadata \(key.quotedForMessage)", depth: 0)
            if key == GGUFParser.alignmentKey {
                alignment = try validatedAlignment(value, at: valueOffset)
            }
            metadata[key] = value
            keys.append(key)
        }

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(tensorCount)
        var tensorNames = Set<String>()
        for index in 0..<tensorCount {
            let infoOffset = cursor.offset
            let info = try readTensorInfo(index: index, alignment: alignment)
            guard tensorNames.insert(info.name).inserted else {
                throw GGUFError(
                    offset: infoOffset,
                    "duplicate tensor name \(info.name.quotedForMessage) "
                        + "(tensor \(index)); each tensor name may appear once")
            }
            tensors.append(info)
        }

        let dataOffset = try alignedDataOffset(alignment: alignment, hasTensors: !tensors.isEmpty)
        try validateTensorData(tensors, dataOffset: dataOffset)
        return Layout(
            version: version, metadata: metadata, metadataKeys: keys, tensors: tensors,
            alignment: alignment, dataOffset: dataOffset)
    }

    private mutating func readHeader() throws -> UInt32 {
        guard cursor.remaining >= GGUFParser.magic.count else {
            throw GGUFError(
                offset: 0,
                "the file has only \(cursor.remaining) bytes, too few for the 'GGUF' magic; "
                    + "it is not a GGUF model file")
        }
        let found = (0..<GGUFParser.magic.count).map { cursor.bytes[$0] }
        guard found == GGUFParser.magic else {
            let shown = found.map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
            throw GGUFError(
                offset: 0,
                "the file starts with '\(shown)', not the 'GGUF' magic; "
                    + "it is not a GGUF model file")
        }
        try cursor.skip(GGUFParser.magic.count, for: "the magic")
        let versionOffset = cursor.offset
        let version = try cursor.read(UInt32.self, for: "the header (version)")
        if version == 1 {
            throw GGUFError(
                offset: versionOffset,
                "GGUF version 1 is no longer supported; "
                    + "re-convert the model with a current llama.cpp (convert_hf_to_gguf.py) to get version 3")
        }
        guard GGUFParser.supportedVersions.contains(version) else {
            throw GGUFError(
                offset: versionOffset,
                "GGUF version \(version) is not supported "
                    + "(supported: 2 and 3); check that the file is a GGUF model")
        }
        return version
    }

    /// A u64 count, bounded by how many of the smallest possible entries fit in the bytes left.
    private mutating func readCount(of what: String, minimumSize: Int) throws -> Int {
        let offset = cursor.offset
        let count = try cursor.read(UInt64.self, for: "the header (\(what) count)")
        let fits = cursor.remaining / minimumSize
        guard count <= UInt64(fits) else {
            throw GGUFError(
                offset: offset,
                "the \(what) count \(count) cannot fit in the \(cursor.remaining) bytes "
                    + "that follow (at most \(fits)); the file is truncated or corrupt")
        }
        return Int(count)
    }

    private mutating func readValue(for field: String, depth: Int) throws -> GGUFValue {
        let typeOffset = cursor.offset
        let typeID = try cursor.read(UInt32.self, for: "the value type of \(field)")
        guard let type = GGUFValueType(rawValue: typeID) else {
            throw GGUFError(
                offset: typeOffset,
                "\(field) has unknown value type \(typeID) "
                    + "(known: 0-12); the file is corrupt or from a newer GGUF version")
        }
        return try readValue(of: type, for: field, at: typeOffset, depth: depth)
    }

    private mutating func readValue(
        of type: GGUFValueType, for field: @autoclosure () -> String, at typeOffset: Int, depth: Int
    ) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self, for: field()))
        case .int8: return .int8(try cursor.read(Int8.self, for: field()))
        case .uint16: return .uint16(try cursor.read(UInt16.self, for: field()))
        case .int16: return .int16(try cursor.read(Int16.self, for: field()))
        case .uint32: return .uint32(try cursor.read(UInt32.self, for: field()))
        case .int32: return .int32(try cursor.read(Int32.self, for: field()))
        case .uint64: return .uint64(try cursor.read(UInt64.self, for: field()))
        case .int64: return .int64(try cursor.read(Int64.self, for: field()))
        case .float32: return .float32(Float(bitPattern: try cursor.read(UInt32.self, for: field())))
        case .float64: return .float64(Double(bitPattern: try cursor.read(UInt64.self, for: field())))
        case .bool:
            let offset = cursor.offset
            let byte = try cursor.read(UInt8.self, for: field())
            guard byte <= 1 else {
                throw GGUFError(offset: offset, "\(field()) is a bool stored as \(byte); it must be 0 or 1")
            }
            return .bool(byte == 1)
        case .string:
            return .string(try cursor.readString(for: field()))
        case .array:
            return try readArray(for: field(), at: typeOffset, depth: depth)
        }
    }

    private mutating func readArray(for field: String, at typeOffset: Int, depth: Int) throws -> GGUFValue {
        guard depth < GGUFParser.maximumArrayNesting else {
            throw GGUFError(
                offset: typeOffset,
                "\(field) nests arrays more than "
                    + "\(GGUFParser.maximumArrayNesting) deep; the file is corrupt")
        }
        let elementTypeOffset = cursor.offset
        let elementTypeID = try cursor.read(UInt32.self, for: "the element type of \(field)")
        guard let elementType = GGUFValueType(rawValue: elementTypeID) else {
            throw GGUFError(
                offset: elementTypeOffset,
                "\(field) is an array of unknown value type "
                    + "\(elementTypeID) (known: 0-12); the file is corrupt")
        }
        let countOffset = cursor.offset
        let count = try cursor.read(UInt64.self, for: "the element count of \(field)")
        let fits = cursor.remaining / elementType.minimumEncodedSize
        guard count <= UInt64(fits) else {
            throw GGUFError(
                offset: countOffset,
                "\(field) claims \(count) elements, but at most \(fits) fit in the "
                    + "\(cursor.remaining) bytes that follow; the file is truncated or corrupt")
        }
        var elements: [GGUFValue] = []
        elements.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            elements.append(
                try readValue(
                    of: elementType, for: "element \(index) of \(field)",
                    at: elementTypeOffset, depth: depth + 1))
        }
        return .array(elements)
    }

    private func validatedAlignment(_ value: GGUFValue, at offset: Int) throws -> Int {
        guard let alignment = value.int, alignment > 0, alignment & (alignment - 1) == 0,
            alignment <= 1 << 30
        else {
            throw GGUFError(
                offset: offset,
                "\(GGUFParser.alignmentKey) is \(value), not a power of two "
                    + "between 1 and 2^30; the file is corrupt")
        }
        return alignment
    }

    private mutating func readTensorInfo(index: Int, alignment: Int) throws -> GGUFTensorInfo {
        let name = try cursor.readString(for: "the name of tensor \(index)")
        let field = "tensor \(index) \(name.quotedForMessage)"
        let dimensionCountOffset = cursor.offset
        let dimensionCount = try cursor.read(UInt32.self, for: "the dimension count of \(field)")
        guard (1...UInt32(GGUFTensorInfo.maximumDimensions)).contains(dimensionCount) else {
            throw GGUFError(
                offset: dimensionCountOffset,
                "\(field) has \(dimensionCount) dimensions; "
                    + "between 1 and \(GGUFTensorInfo.maximumDimensions) are allowed")
        }
        var dimensions: [Int] = []
        var elements = 1
        for axis in 0..<Int(dimensionCount) {
            let offset = cursor.offset
            let size = try cursor.read(UInt64.self, for: "dimension \(axis) of \(field)")
            guard size > 0, let dimension = Int(exactly: size) else {
                throw GGUFError(
                    offset: offset,
                    "dimension \(axis) of \(field) is \(size); "
                        + "it must be between 1 and \(Int.max)")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw GGUFError(
                    offset: offset,
                    "the shape \(dimensions + [dimension]) of \(field) has more "
                        + "elements than \(Int.max); the file is corrupt")
            }
            elements = product
            dimensions.append(dimension)
        }
        let typeOffset = cursor.offset
        let typeID = try cursor.read(UInt32.self, for: "the type of \(field)")
        guard let type = GGMLType(rawValue: typeID) else {
            let supported = GGMLType.allCases.map { "\($0.rawValue)=\($0.name)" }.joined(separator: ", ")
            throw GGUFError(
                offset: typeOffset,
                "\(field) has unknown or unsupported tensor type id \(typeID) "
                    + "(supported: \(supported)); re-quantize the model to a supported type")
        }
        let dataOffsetField = cursor.offset
        let rawOffset = try cursor.read(UInt64.self, for: "the data offset of \(field)")
        guard let offset = Int(exactly: rawOffset), offset % alignment == 0 else {
            throw GGUFError(
                offset: dataOffsetField,
                "\(field) has data offset \(rawOffset), "
                    + "not a multiple of the alignment \(alignment); the file is corrupt")
        }
        guard let info = GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: offset) else {
            throw GGUFError(
                offset: typeOffset,
                "\(field) has shape \(dimensions) with \(dimensions[0]) elements "
                    + "per row, not a multiple of the \(type.name) block size \(type.blockSize)"
                    + " (or a byte size past \(Int.max)); the file is corrupt")
        }
        return info
    }

    /// The tensor data section starts at the next multiple of the alignment after the tensor table.
    private func alignedDataOffset(alignment: Int, hasTensors: Bool) throws -> Int {
        let end = cursor.offset
        let padded = (end + alignment - 1) / alignment * alignment
        guard padded <= cursor.bytes.count || !hasTensors else {
            throw GGUFError(
                offset: end,
                "the file ends at byte \(cursor.bytes.count) before the tensor data "
                    + "section at byte \(padded); the file is truncated, download or convert it again")
        }
        return padded
    }

    /// Each tensor's bytes lie inside the file and no two tensors overlap.
    private func validateTensorData(_ tensors: [GGUFTensorInfo], dataOffset: Int) throws {
        let dataSize = cursor.bytes.count - dataOffset
        for (index, info) in tensors.enumerated() {
            let (end, overflow) = info.offset.addingReportingOverflow(info.byteCount)
            guard !overflow, end <= dataSize else {
                throw GGUFError(
                    offset: dataOffset + min(info.offset, dataSize),
                    "the data of tensor \(index) \(info.name.quotedForMessage) (\(info.byteCount) bytes at "
                        + "data offset \(info.offset)) runs past the end of the file at byte \(cursor.bytes.count); "
                        + "the file is truncated, download or convert it again")
            }
        }
        let byStart = tensors.indices.sorted { tensors[$0].offset < tensors[$1].offset }
        for (previous, next) in zip(byStart, byStart.dropFirst()) {
            let earlier = tensors[previous]
            let later = tensors[next]
            guard earlier.offset + earlier.byteCount <= later.offset else {
                throw GGUFError(
                    offset: dataOffset + later.offset,
                    "the data of tensor \(later.name.quotedForMessage) overlaps tensor "
                        + "\(earlier.name.quotedForMessage) (\(earlier.byteCount) bytes at data offset "
                        + "\(earlier.offset)); the file is corrupt")
            }
        }
    }
}
