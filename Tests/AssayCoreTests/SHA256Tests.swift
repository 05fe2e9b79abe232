import AssaySupport
import Testing

@testable import AssayCore

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4's examples, with the SHA instructions where the CPU has them and without", arguments: [true, false])
    func knownDigests(hardware: Bool) {
        func digest(_ bytes: [UInt8]) -> String {
            var hasher = SHA256(hardware: hardware)
            hasher.update(bytes)
            return hasher.finalizeHex()
        }
        #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(digest(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length around the 64-byte block and its padding edge, fed in uneven pieces: both
    /// compressions must agree on each (on a CPU without SHA instructions both are the portable one).
    @Test("the hardware and portable rounds agree on every length and split")
    func hardwareAgreesWithPortable() {
        var generator = SplitMix64(seed: 0x5348_4132_3536)
        let bytes = (0..<4_200).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for length in Array(0...200) + [1_023, 1_024, 1_025, 4_095, 4_200] {
            let message = Array(bytes.prefix(length))
            var portable = SHA256(hardware: false)
            portable.update(message)
            var hardware = SHA256(hardware: true)
            var offset = 0
            while offset < length {
                let piece = min(length - offset, Int(generator.next() % 97))
                hardware.update(Array(message[offset..<(offset + piece)]))
                offset += piece
            }
            #expect(hardware.finalizeHex() == portable.finalizeHex(), "length \(length)")
        }
    }
}
