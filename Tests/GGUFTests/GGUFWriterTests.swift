import Foundation
import Testing
import AssayTestSupport
@testable import GGUF

@Suite struct GGUFWriterTests {
    /// Issue 8 item 3: a 2-layer llama-like file with every tensor type, written and read back.
    @Test(arguments: [32, 64])
    func tinyLlamaRoundTripsThroughWriterAndReader(alignment: Int) throws {
        let writer = try TinyLlama.writer(alignment: alignment)
        let bytes = writer.bytes()
        #expect(bytes.count == writer.byteCount)
        let file = try GGUFFile(bytes: bytes)

        #expect(file.version == 3)
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        let expectedKeys = (alignment == 32 ? [] : ["general.alignment"]) + TinyLlama.metadata.map(\.0)
        #expect(file.metadataKeys == expectedKeys)
        for (key, value) in TinyLlama.metadata { #expect(file.metadata[key] == value, "\(key)") }
        #expect(file.metadata["test.nested"]?.ints == nil)
        #expect(file.metadata["tokenizer.ggml.scores"]?.floats?.last == 15)

        let tensors = try TinyLlama.tensors()
        #expect(Set(tensors.map(\.type)) == Set(GGMLType.allCases))
        #expect(file.tensors.map(\.name) == tensors.map(\.name))
        for tensor in tensors {
            let info = try #require(file.tensor(named: tensor.name))
            #expect(info.type == tensor.type && info.dimensions == tensor.dimensions)
            #expect(info.offset % alignment == 0)
            #expect(Array(file.tensorBytes(info)) == tensor.data)
            let decoded = try file.floats(info)
            if tensor.isExact {
                #expect(decoded == tensor.reference, "\(tensor.name)")
            } else {
                let (maxError, withinBound) = QuantizationErrorBound.check(tensor.type, original: tensor.reference, decoded: decoded)
                #expect(withinBound, "\(tensor.name) \(tensor.type): max error \(maxError)")
            }
        }
    }

    @Test func writesAtomicallyToDisk() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("tiny.gguf")
        try folder.write("tiny.gguf", "an older file that gets replaced")
        try TinyLlama.writer().write(to: url)
        let file = try GGUFFile(contentsOf: url)
        #expect(file.tensors.count == TinyLlama.layout.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["tiny.gguf"])

        let missingFolder = folder.url.appendingPathComponent("missing/out.gguf")
        #expect { try TinyLlama.writer().write(to: missingFolder) } throws: {
            "\($0)".contains("cannot write the GGUF file")
        }
    }

    @Test func setReplacesInPlaceAndKeepsOrder() {
        var writer = GGUFWriter()
        writer.set("a", .uint32(1))
        writer.set("b", .string("x"))
        writer.set("a", .uint32(2))
        #expect(writer.metadataKeys == ["a", "b"])
    }

    @Test func addTensorRejectsBadShapesSizesAndDuplicates() throws {
        var writer = GGUFWriter()
        try writer.addTensor(name: "w", dimensions: [32], type: .f32, data: Array(repeating: 0, count: 128))
        #expect { try writer.addTensor(name: "w", dimensions: [32], type: .f32, data: Array(repeating: 0, count: 128)) } throws: {
            "\($0)".contains("added twice")
        }
        #expect { try writer.addTensor(name: "x", dimensions: [32], type: .f32, data: [1]) } throws: {
            "\($0)".contains("needs 128 bytes but 1 were given")
        }
        #expect { try writer.addTensor(name: "y", dimensions: [16], type: .q8_0, data: []) } throws: {
            "\($0)".contains("multiple of the Q8_0 block size 32")
        }
        #expect { try writer.addTensor(name: "z", dimensions: [1, 1, 1, 1, 1], type: .f32, data: [0, 0, 0, 0]) } throws: {
            "\($0)".contains("1 to 4 dimensions")
        }
    }
}
