import AssaySupport
import CDigest
import Foundation

/// SHA-256 digests, streamed so that large model files never sit in memory twice.
public struct SHA256: Sendable {
    private var context = assay_sha256_ctx()

    /// Whether this CPU hashes with its SHA instructions.
    public static var usesHardware: Bool { assay_sha256_hardware_available() != 0 }

    /// `hardware: false` takes the portable rounds even where the CPU has SHA instructions
    /// (the digest is the same; tests compare the two).
    public init(hardware: Bool = true) {
        assay_sha256_init(&context, hardware ? 1 : 0)
    }

    public mutating func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
        bytes.withUnsafeBytes { buffer in
            assay_sha256_update(&context, buffer.baseAddress, buffer.count)
        }
    }

    /// The digest as 64 lowercase hexadecimal characters.
    public mutating func finalizeHex() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        assay_sha256_final(&context, &digest)
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    public static func hex<Bytes: ContiguousBytes>(of bytes: Bytes) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The digest of a file read in chunks, with its size in bytes.
    public static func hex(ofFileAt url: URL) throws -> (digest: String, size: Int) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw AssayError("cannot read \(url.path); check the path and its permissions")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
            hasher.update(chunk)
            size += chunk.count
        }
        return (hasher.finalizeHex(), size)
    }
}
