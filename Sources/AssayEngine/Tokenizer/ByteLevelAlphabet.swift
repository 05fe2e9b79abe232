/// GPT-2's reversible mapping between bytes and printable Unicode scalars: byte-level BPE vocabularies
/// spell every byte as one of these scalars (a space is "Ġ", a newline "Ċ").
enum ByteLevelAlphabet {
    /// The scalar that stands for each byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var scalars = [UInt32](repeating: 0, count: 256)
        for byte in printable { scalars[byte] = UInt32(byte) }
        var next: UInt32 = 256
        for byte in 0..<256 where !printable.contains(byte) {
            scalars[byte] = next
            next += 1
            printable.append(byte)
        }
        return scalars.map { Unicode.Scalar($0) ?? " " }
    }()

    /// The byte each alphabet scalar stands for.
    static let byteForScalar: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: scalarForByte.enumerated().map { ($1.value, UInt8($0)) })

    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarForByte[Int(byte)]) }
        return String(text)
    }

    /// The bytes a token text spells, or nil when it holds a scalar outside the alphabet.
    static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard let byte = byteForScalar[scalar.value] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
