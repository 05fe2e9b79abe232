/// A bounds-checked little-endian reader over untrusted bytes: every read checks the bytes left
/// and reports a truncation as a `GGUFError` naming the offset and the field it was reading.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes exist at the current offset.
    func require(_ count: Int, for field: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw GGUFError(
                offset: offset,
                "the file ends at byte \(bytes.count) inside \(field()), "
                    + "which needs \(count) bytes here; the file is truncated, download or convert it again")
        }
    }

    mutating func skip(_ count: Int, for field: @autoclosure () -> String) throws {
        try require(count, for: field())
        offset += count
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, for field: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, for: field())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// A length-prefixed UTF-8 string (u64 length, then the bytes).
    mutating func readString(for field: @autoclosure () -> String) throws -> String {
        let start = offset
        let length = try read(UInt64.self, for: "the length of \(field())")
        guard length <= UInt64(remaining) else {
            throw GGUFError(
                offset: start,
                "\(field()) has length \(length) but only \(remaining) bytes follow; "
                    + "the file is truncated or corrupt")
        }
        let count = Int(length)
        let raw = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        let string = String(decoding: raw, as: UTF8.self)
        guard string.utf8.elementsEqual(raw) else {
            throw GGUFError(offset: offset, "\(field()) is not valid UTF-8; the file is corrupt")
        }
        offset += count
        return string
    }
}
