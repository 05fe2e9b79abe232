import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

@Suite struct GGUFWriterTests {
    /// Issue 8 item 3: a 2-layer llama-like file with every tensor type, written and read back.
    @Test(arguments: [32, 64])
    func tinyLlamaRoundTripsThroughWriterAndReader(alignment: Int) throws {
        let writer = try TinyLlama.writer(alignment: alignment)
        let bytes = try writer.bytes()
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

    /// Issue 14: tensors streamed in uneven chunks make the same file as tensors given whole, in
    /// memory and on disk, where each tensor is announced before its data.
    @Test func streamedTensorsMatchTensorsGivenWhole() throws {
        let data = (0..<306).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var whole = GGUFWriter(alignment: 64)
        whole.set("general.name", .string("stream"))
        try whole.addTensor(name: "a", dimensions: [96, 3], type: .q8_0, data: data)
        try whole.addTensor(name: "b", dimensions: [32], type: .f32, data: Array(data[..<128]))

        var streamed = GGUFWriter(alignment: 64)
        streamed.set("general.name", .string("stream"))
        try streamed.addTensor(name: "a", dimensions: [96, 3], type: .q8_0) { emit in
            for range in [0..<1, 1..<200, 200..<200, 200..<306] {
                try data[range].withUnsafeBytes(emit)
            }
        }
        try streamed.addTensor(name: "b", dimensions: [32], type: .f32) { emit in try data[..<128].withUnsafeBytes(emit) }
        #expect(streamed.byteCount == whole.byteCount)
        #expect(try streamed.bytes() == whole.bytes())

        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("streamed.gguf")
        var announced: [Int] = []
        try streamed.write(to: url) { announced.append($0) }
        #expect(announced == [0, 1])
        #expect(try Array(Data(contentsOf: url)) == whole.bytes())
    }

    /// A producer that fails, or hands over too few or too many bytes, leaves no file behind and
    /// the file already under that name untouched.
    @Test(arguments: [0, 127, 129])
    func aFailingProducerLeavesNothingHalfWritten(bytesProduced: Int) throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("out.gguf")
        try folder.write("out.gguf", "an older file")
        var writer = try TinyLlama.writer()
        try writer.addTensor(name: "late", dimensions: [32], type: .f32) { emit in
            let bytes = [UInt8](repeating: 1, count: bytesProduced)
            try bytes.withUnsafeBytes(emit)
            if bytesProduced == 0 { throw GGUFError("the source ran dry") }
        }
        #expect { try writer.write(to: url) } throws: {
            let message = "\($0)"
            return bytesProduced == 0
                ? message == "the source ran dry"
                : message.contains("tensor 'late' (F32, shape [32]) needs 128 bytes but its data had \(bytesProduced)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["out.gguf"])
        #expect(try String(contentsOf: url, encoding: .utf8) == "an older file")
    }

    /// A mapped file reads the same as one read into memory, and stays readable after its pages
    /// are dropped.
    @Test func aMappedFileMatchesAReadOneAfterDroppingPages() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("tiny.gguf")
        try TinyLlama.writer().write(to: url)
        let read = try GGUFFile(contentsOf: url)
        let mapped = try GGUFFile(contentsOf: url, storage: .mapped)
        #expect(mapped.metadataKeys == read.metadataKeys)
        #expect(mapped.tensors == read.tensors)
        for info in mapped.tensors {
            let bytes = mapped.tensorBytes(info)
            let before = Array(bytes)
            mapped.dropResidentPages(of: bytes)
            read.dropResidentPages(of: read.tensorBytes(info))
            #expect(Array(bytes) == before && before == Array(read.tensorBytes(info)), "\(info.name)")
        }
        #expect { try GGUFFile(contentsOf: folder.url.appendingPathComponent("missing.gguf"), storage: .mapped) } throws: {
            "\($0)".contains("cannot open the model file")
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
