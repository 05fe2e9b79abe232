import AssaySupport

/// Where `GGUFWriter` sends a file's bytes, in order.
protocol GGUFOutput {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// A file built in memory.
extension Array: GGUFOutput where Element == UInt8 {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        append(contentsOf: bytes)
    }
}

/// A file written whole or not at all.
extension AtomicFileOutput: GGUFOutput {}
