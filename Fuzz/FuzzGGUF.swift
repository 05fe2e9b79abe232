// libFuzzer entry point for the GGUF reader, compiled together with Sources/GGUF by Fuzz/run.sh.
//
// Any input must either be rejected with a GGUFError or give a file whose tensors decode and
// whose metadata and tensors survive a write/read round trip; the engine then reads it as a
// model (FuzzEngine.swift). Anything else (a trap, an ASan report, a leak, a timeout, a huge
// allocation) is a finding.
import GGUF

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUFReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? GGUFFile(bytes: bytes) else { return 0 }
    checkDecoding(file)
    checkRoundTrip(file)
    checkEngine(file)
    return 0
}

/// Every tensor decodes (bounded, so the fuzzer stays fast).
private func checkDecoding(_ file: GGUFFile) {
    for info in file.tensors.prefix(16) where info.elementCount <= 1 << 16 {
        guard let values = try? file.floats(info), values.count == info.elementCount else {
            fatalError("a validated tensor failed to decode: \(info)")
        }
        if TensorCodec.encodableTypes.contains(info.type) {
            _ = try? TensorCodec.quantize(values, to: info.type)
        }
    }
    for key in file.metadataKeys {
        guard let value = file.metadata[key] else { fatalError("key \(key) listed but missing") }
        _ = (value.int, value.double, value.string, value.strings, value.floats, value.ints)
    }
}

/// Writing the file's metadata and tensors again gives a file that reads back identically.
private func checkRoundTrip(_ file: GGUFFile) {
    guard file.alignment <= 4096 else { return }
    var writer = GGUFWriter(alignment: file.alignment)
    for key in file.metadataKeys {
        guard let value = file.metadata[key] else { fatalError("key \(key) listed but missing") }
        writer.set(key, value)
    }
    for info in file.tensors {
        do {
            try writer.addTensor(
                name: info.name, dimensions: info.dimensions, type: info.type,
                data: Array(file.tensorBytes(info)))
        } catch {
            fatalError("a validated tensor was refused by the writer: \(error)")
        }
    }
    let rewritten = writer.bytes()
    guard rewritten.count == writer.byteCount else { fatalError("byteCount disagrees with bytes()") }
    guard let again = try? GGUFFile(bytes: rewritten) else { fatalError("the rewritten file does not read back") }
    guard again.tensors.map(\.name) == file.tensors.map(\.name),
        again.tensors.map(\.dimensions) == file.tensors.map(\.dimensions)
    else {
        fatalError("the tensor table changed in a round trip")
    }
    for (before, after) in zip(file.tensors, again.tensors)
    where !Array(file.tensorBytes(before)).elementsEqual(again.tensorBytes(after)) {
        fatalError("tensor \(before.name) changed in a round trip")
    }
}
