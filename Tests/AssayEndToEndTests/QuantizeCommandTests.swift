import AssayTestSupport
import Foundation
import GGUF
import Testing

@Suite struct QuantizeCommandTests {
    /// A small valid model: two metadata keys, a norm and one 2-D weight matrix in F32.
    static func writeModel(in folder: TemporaryFolder) throws -> String {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("general.name", .string("tiny"))
        let weights = (0..<64 * 4).map { Float(sin(Double($0))) }
        try writer.addTensor(
            name: "blk.0.attn_norm.weight", dimensions: [64], type: .f32,
            data: try TensorCodec.quantize(Array(repeating: 1, count: 64), to: .f32))
        try writer.addTensor(
            name: "blk.0.attn_q.weight", dimensions: [64, 4], type: .f32,
            data: try TensorCodec.quantize(weights, to: .f32))
        let path = folder.path("tiny-f32.gguf")
        try writer.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func quantizesAModelAndSaysWhatToRunNext() throws {
        let folder = try TemporaryFolder()
        let input = try Self.writeModel(in: folder)
        let output = folder.path("tiny-q4_1.gguf")
        let result = try AssayBinary.run(["quantize", input, output, "--type", "q4_1", "--name", "tiny-q4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Wrote \(output): 2 tensors (1 F32, 1 Q4_1)"))
        #expect(result.stdout.contains("Next: assay model add tiny-q4 --gguf \(output)"))
        let file = try GGUFFile(contentsOf: URL(fileURLWithPath: output))
        #expect(file.metadata["general.file_type"] == .uint32(3))
        #expect(file.metadata["general.name"] == .string("tiny-q4"))
        #expect(file.tensor(named: "blk.0.attn_q.weight")?.type == .q4_1)
    }

    @Test func aBadFileGivesOneLineAndLeavesNoOutput() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("broken.gguf", Data(Array("GGUF".utf8) + [3, 0, 0, 0, 0xFF, 0xFF]))
        let output = folder.path("out.gguf")
        let result = try AssayBinary.run(["quantize", input, output, "--type", "q8_0"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(input): invalid GGUF at byte 8: the file ends at byte 10 inside the header (tensor count)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["broken.gguf"])
    }

    @Test func helpShowsAnExampleAndBadTypesAreRejected() throws {
        let help = try AssayBinary.run(["quantize", "--help"])
        #expect(help.stdout.contains("Example:"))
        #expect(help.stdout.contains("assay quantize SmolLM2-135M-Instruct.Q4_1.gguf"))
        let folder = try TemporaryFolder()
        let input = try Self.writeModel(in: folder)
        let result = try AssayBinary.run(["quantize", input, folder.path("x.gguf"), "--type", "q3_k"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("q3_k"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("x.gguf")))
    }
}
