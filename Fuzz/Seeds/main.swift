// Writes the fuzzer's seed corpus: small valid GGUF files that reach every part of the reader.
// Usage: write-seeds FOLDER
import Foundation

let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "seeds")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

/// A deterministic byte source, so the corpus is the same on every run.
var state: UInt64 = 0x1234_5678
func nextByte() -> UInt8 {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return UInt8(truncatingIfNeeded: state >> 56)
}

/// Random blocks with a small finite fp16 scale in their first two bytes (valid for every type).
func blocks(_ type: GGMLType, elements: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<elements / type.blockSize {
        var block = (0..<type.bytesPerBlock).map { _ in nextByte() }
        if type.isQuantized {
            let scaleAt = type == .q6_K ? type.bytesPerBlock - 2 : 0
            block[scaleAt] = 0
            block[scaleAt + 1] = 0x20
        }
        bytes += block
    }
    return bytes
}

func write(_ name: String, _ writer: GGUFWriter) throws {
    try writer.write(to: folder.appendingPathComponent(name))
}

var every = GGUFWriter()
every.set("general.architecture", .string("llama"))
every.set("llama.block_count", .uint32(1))
every.set("tokenizer.ggml.tokens", .array([.string("a"), .string("b")]))
every.set("scores", .array([.float32(0.5), .float32(-1)]))
every.set("nested", .array([.array([.int16(-1)]), .array([])]))
every.set("values", .array([.uint8(1)]))
every.set("flag", .bool(true))
every.set("big", .uint64(UInt64.max))
every.set("wide", .float64(1.5))
every.set("small", .int8(-3))
for (index, type) in GGMLType.allCases.enumerated() {
    try every.addTensor(name: "blk.\(index).weight", dimensions: [type.blockSize, 2], type: type,
                        data: blocks(type, elements: type.blockSize * 2))
}
try write("every-type.gguf", every)

var aligned = GGUFWriter(alignment: 64)
aligned.set("general.name", .string("aligned"))
try aligned.addTensor(name: "norm", dimensions: [8], type: .f32, data: blocks(.f32, elements: 8))
try aligned.addTensor(name: "w", dimensions: [32, 1, 1, 2], type: .q8_0, data: blocks(.q8_0, elements: 64))
try write("aligned-64.gguf", aligned)

var metadataOnly = GGUFWriter()
metadataOnly.set("general.architecture", .string("llama"))
try write("metadata-only.gguf", metadataOnly)

try write("empty.gguf", GGUFWriter())

var version2 = aligned.bytes()
version2[4] = 2
try Data(version2).write(to: folder.appendingPathComponent("version-2.gguf"))
