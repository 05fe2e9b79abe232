import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

/// Issue 8 item 4: every malformed file gives a one-line error naming the byte offset.
@Suite struct MalformedGGUFTests {
    /// A valid file: 2 metadata entries, tensors "a.weight" (F32 [32, 2]) and "b.weight" (Q8_0 [32]).
    static func validFile() throws -> [UInt8] {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("test.count", .uint32(7))
        try writer.addTensor(name: "a.weight", dimensions: [32, 2], type: .f32, data: Array(repeating: 0, count: 256))
        try writer.addTensor(
            name: "b.weight", dimensions: [32], type: .q8_0,
            data: try TensorCodec.quantize(Array(repeating: 1, count: 32), to: .q8_0))
        return try writer.bytes()
    }

    /// Byte offsets of the fields of a tensor table entry, found from its name.
    struct InfoFields {
        let nameLength, dimensionCount, firstDimension, type, dataOffset: Int
        init(_ bytes: [UInt8], name: String, dimensions: Int) {
            let nameStart = MalformedGGUFTests.offset(of: Array(name.utf8), in: bytes, after: 24 + 8 + 20 + 4)
            nameLength = nameStart - 8
            dimensionCount = nameStart + name.utf8.count
            firstDimension = dimensionCount + 4
            type = firstDimension + 8 * dimensions
            dataOffset = type + 4
        }
    }

    static func offset(of needle: [UInt8], in bytes: [UInt8], after start: Int = 0) -> Int {
        for index in start...(bytes.count - needle.count) where Array(bytes[index..<index + needle.count]) == needle {
            return index
        }
        preconditionFailure("fixture field not found")
    }

    static func patched(_ bytes: [UInt8], at offset: Int, _ value: some FixedWidthInteger) -> [UInt8] {
        var copy = bytes
        withUnsafeBytes(of: value.littleEndian) { copy.replaceSubrange(offset..<offset + $0.count, with: $0) }
        return copy
    }

    /// Asserts that reading `bytes` fails with a one-line message at `offset` containing `fragments`.
    static func expectError(
        _ bytes: [UInt8], at offset: Int, _ fragments: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try GGUFFile(bytes: bytes)
            Issue.record("the file was accepted", sourceLocation: sourceLocation)
        } catch let error as GGUFError {
            let message = error.description
            #expect(error.offset == offset, "\(message)", sourceLocation: sourceLocation)
            #expect(message.contains("invalid GGUF at byte \(offset):"), "\(message)", sourceLocation: sourceLocation)
            #expect(!message.contains("\n"), sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func theFixtureIsValid() throws {
        let file = try GGUFFile(bytes: try Self.validFile())
        #expect(file.tensors.map(\.name) == ["a.weight", "b.weight"])
    }

    @Test func wrongMagicAndTooShortFiles() throws {
        var bytes = try Self.validFile()
        bytes[0] = UInt8(ascii: "X")
        Self.expectError(bytes, at: 0, "starts with 'XGUF', not the 'GGUF' magic", "not a GGUF model file")
        Self.expectError(Array("GG".utf8), at: 0, "only 2 bytes")
        Self.expectError([], at: 0, "only 0 bytes")
    }

    @Test func unsupportedVersions() throws {
        let bytes = try Self.validFile()
        Self.expectError(Self.patched(bytes, at: 4, UInt32(1)), at: 4, "version 1 is no longer supported", "re-convert")
        Self.expectError(Self.patched(bytes, at: 4, UInt32(4)), at: 4, "version 4 is not supported")
        var version2 = Self.patched(bytes, at: 4, UInt32(2))
        #expect(try GGUFFile(bytes: version2).version == 2)
        version2[4] = 0
        Self.expectError(version2, at: 4, "version 0")
    }

    @Test func truncatedInsideEachSection() throws {
        let bytes = try Self.validFile()
        let file = try GGUFFile(bytes: bytes)
        // Header: inside the tensor count.
        Self.expectError(Array(bytes[0..<12]), at: 8, "the file ends at byte 12 inside the header (tensor count)", "truncated")
        // Metadata: inside the value of "test.count".
        let countValue = Self.offset(of: Array("test.count".utf8), in: bytes) + 10 + 4
        Self.expectError(
            Array(bytes[0..<countValue + 2]), at: countValue,
            "the file ends at byte \(countValue + 2) inside metadata 'test.count', which needs 4 bytes")
        // Tensor table: inside the first dimension of a.weight.
        let fields = InfoFields(bytes, name: "a.weight", dimensions: 2)
        Self.expectError(
            Array(bytes[0..<fields.firstDimension + 4]), at: fields.firstDimension,
            "inside dimension 0 of tensor 0 'a.weight', which needs 8 bytes")
        let b = InfoFields(bytes, name: "b.weight", dimensions: 1)
        Self.expectError(Array(bytes[0..<b.type + 2]), at: b.type, "inside the type of tensor 1 'b.weight'")
        // Between the tensor table and the aligned data section.
        Self.expectError(
            Array(bytes[0..<b.dataOffset + 8 + 1]), at: b.dataOffset + 8,
            "ends at byte \(b.dataOffset + 9) before the tensor data section at byte \(file.dataOffset)")
        // Data: the file ends inside the first tensor's data.
        Self.expectError(
            Array(bytes[0..<file.dataOffset + 10]), at: file.dataOffset,
            "the data of tensor 0 'a.weight' (256 bytes at data offset 0) runs past the end of the file at byte \(file.dataOffset + 10)")
        // Counts are bounded by the bytes left before any entry is read.
        Self.expectError(Array(bytes[0..<40]), at: 8, "the tensor count 2 cannot fit in the 24 bytes that follow")
    }

    @Test func everyTruncationIsRejectedWithoutTrapping() throws {
        let bytes = try Self.validFile()
        let file = try GGUFFile(bytes: bytes)
        let dataEnd = file.tensors.map { file.dataOffset + $0.offset + $0.byteCount }.max() ?? 0
        // Only the padding after the last tensor may be cut.
        #expect(throws: Never.self) { try GGUFFile(bytes: Array(bytes[0..<dataEnd])) }
        for length in 0..<dataEnd {
            #expect(throws: GGUFError.self, "prefix of \(length) bytes") { try GGUFFile(bytes: Array(bytes[0..<length])) }
        }
    }

    @Test func absurdCountsAndLengths() throws {
        let bytes = try Self.validFile()
        Self.expectError(Self.patched(bytes, at: 8, UInt64(1) << 62), at: 8, "tensor count 4611686018427387904 cannot fit")
        Self.expectError(Self.patched(bytes, at: 16, UInt64.max), at: 16, "metadata entry count 18446744073709551615 cannot fit")
        Self.expectError(
            Self.patched(bytes, at: 24, UInt64(1) << 63), at: 24,
            "the key of metadata entry 0 has length 9223372036854775808 but only")
        let fields = InfoFields(bytes, name: "a.weight", dimensions: 2)
        Self.expectError(
            Self.patched(bytes, at: fields.nameLength, UInt64(1) << 63), at: fields.nameLength,
            "the name of tensor 0 has length 9223372036854775808")
    }

    @Test func absurdArrayCountsAndUnknownValueTypes() throws {
        var writer = GGUFWriter()
        writer.set("tokens", .array([.string("a"), .string("b")]))
        let bytes = try writer.bytes()
        let elementType = 24 + 8 + 6 + 4
        let count = elementType + 4
        Self.expectError(
            Self.patched(bytes, at: count, UInt64(1) << 60), at: count,
            "metadata 'tokens' claims 1152921504606846976 elements")
        Self.expectError(
            Self.patched(bytes, at: elementType, UInt32(13)), at: elementType,
            "array of unknown value type 13")
        Self.expectError(
            Self.patched(bytes, at: elementType - 4, UInt32(99)), at: elementType - 4,
            "metadata 'tokens' has unknown value type 99")
        Self.expectError(
            Self.patched(bytes, at: count + 8, UInt64(1) << 63), at: count + 8,
            "element 0 of metadata 'tokens' has length 9223372036854775808")
    }

    @Test func deeplyNestedArraysAreRejected() throws {
        var writer = GGUFWriter()
        writer.set("deep", .array([.array([.array([.uint8(1)])])]))
        // The offending declaration: the element type of the second-level array (arrays again).
        let secondLevelElementType = 24 + 8 + 4 + 4 + 4 + 8
        Self.expectError(try writer.bytes(), at: secondLevelElementType, "metadata 'deep' nests arrays more than 2 deep")
    }

    @Test func badTensorTypesShapesAndOffsets() throws {
        let bytes = try Self.validFile()
        let a = InfoFields(bytes, name: "a.weight", dimensions: 2)
        let b = InfoFields(bytes, name: "b.weight", dimensions: 1)
        Self.expectError(
            Self.patched(bytes, at: a.type, UInt32(16)), at: a.type,
            "tensor 0 'a.weight' has unknown or unsupported tensor type id 16", "8=Q8_0")
        Self.expectError(Self.patched(bytes, at: a.dimensionCount, UInt32(5)), at: a.dimensionCount, "has 5 dimensions")
        Self.expectError(Self.patched(bytes, at: a.dimensionCount, UInt32(0)), at: a.dimensionCount, "has 0 dimensions")
        Self.expectError(
            Self.patched(bytes, at: a.firstDimension + 8, UInt64(0)), at: a.firstDimension + 8,
            "dimension 1 of tensor 0 'a.weight' is 0")
        let huge = Self.patched(Self.patched(bytes, at: a.firstDimension, UInt64(1) << 40), at: a.firstDimension + 8, UInt64(1) << 40)
        Self.expectError(huge, at: a.firstDimension + 8, "has more elements than")
        Self.expectError(
            Self.patched(bytes, at: b.firstDimension, UInt64(16)), at: b.type,
            "16 elements per row, not a multiple of the Q8_0 block size 32")
        Self.expectError(
            Self.patched(bytes, at: b.dataOffset, UInt64(260)), at: b.dataOffset,
            "data offset 260, not a multiple of the alignment 32")
        let file = try GGUFFile(bytes: bytes)
        Self.expectError(
            Self.patched(bytes, at: b.dataOffset, UInt64(1) << 20), at: file.dataOffset + (bytes.count - file.dataOffset),
            "tensor 1 'b.weight' (34 bytes at data offset 1048576) runs past the end of the file")
        Self.expectError(
            Self.patched(bytes, at: b.dataOffset, UInt64(0)), at: file.dataOffset,
            "the data of tensor 'b.weight' overlaps tensor 'a.weight' (256 bytes at data offset 0)")
    }

    @Test func duplicateTensorNamesAndKeys() throws {
        let bytes = try Self.validFile()
        let b = InfoFields(bytes, name: "b.weight", dimensions: 1)
        var duplicateName = bytes
        duplicateName[b.dimensionCount - 8] = UInt8(ascii: "a")
        Self.expectError(duplicateName, at: b.nameLength, "duplicate tensor name 'a.weight' (tensor 1)")

        var writer = GGUFWriter()
        writer.set("key.aaaaaa", .uint8(1))
        writer.set("key.bbbbbb", .uint8(2))
        var duplicateKey = try writer.bytes()
        let second = Self.offset(of: Array("key.bbbbbb".utf8), in: duplicateKey)
        duplicateKey.replaceSubrange(second..<second + 10, with: Array("key.aaaaaa".utf8))
        Self.expectError(duplicateKey, at: second - 8, "duplicate metadata key 'key.aaaaaa' (entry 1)")
    }

    @Test func badAlignmentBoolsAndStrings() throws {
        var writer = GGUFWriter()
        writer.set("general.alignment", .uint32(48))
        Self.expectError(try writer.bytes(), at: 24 + 8 + 17, "general.alignment is uint32(48), not a power of two")

        var flag = GGUFWriter()
        flag.set("flag", .bool(true))
        var flagBytes = try flag.bytes()
        flagBytes[24 + 8 + 4 + 4] = 2
        Self.expectError(flagBytes, at: 24 + 8 + 4 + 4, "metadata 'flag' is a bool stored as 2")

        var text = GGUFWriter()
        text.set("name", .string("ab"))
        var textBytes = try text.bytes()
        textBytes[24 + 8 + 4 + 4 + 8] = 0xFF
        Self.expectError(textBytes, at: 24 + 8 + 4 + 4 + 8, "metadata 'name' is not valid UTF-8")
    }

    @Test func namesInMessagesAreEscapedToOneLine() throws {
        var writer = GGUFWriter()
        try writer.addTensor(name: "evil\nname", dimensions: [32], type: .f32, data: Array(repeating: 0, count: 128))
        var bytes = try writer.bytes()
        let type = 24 + 8 + 9 + 4 + 8
        bytes = Self.patched(bytes, at: type, UInt32(77))
        Self.expectError(bytes, at: type, "tensor 0 'evil\\nname' has unknown")
    }

    @Test func errorsFromDiskNameTheFile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("bad.gguf", Data("GGUF\u{1}\0\0\0".utf8))
        #expect { try GGUFFile(contentsOf: URL(fileURLWithPath: path)) } throws: {
            "\($0)" == "\(path): invalid GGUF at byte 4: GGUF version 1 is no longer supported; "
                + "re-convert the model with a current llama.cpp (convert_hf_to_gguf.py) to get version 3"
        }
        #expect { try GGUFFile(contentsOf: folder.url.appendingPathComponent("missing.gguf")) } throws: {
            "\($0)".contains("missing.gguf: cannot open the model file: No such file or directory")
        }
        #expect { try GGUFFile(contentsOf: folder.url) } throws: { "\($0)".contains("not a regular file") }
    }
}
