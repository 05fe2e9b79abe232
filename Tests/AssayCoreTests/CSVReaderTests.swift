import Testing

@testable import AssayCore

@Suite("CSV reading")
struct CSVReaderTests {
    func read(_ text: String) throws -> [[String]] {
        try CSVReader(source: "t.csv").records(in: Array(text.utf8)).map(\.fields)
    }

    @Test("quoted commas, doubled quotes and embedded newlines")
    func quoting() throws {
        #expect(try read("a,\"b, c\",\"say \"\"hi\"\"\"\n\"x\ny\",z,\n") == [["a", "b, c", "say \"hi\""], ["x\ny", "z", ""]])
    }

    @Test("CRLF line ends and a byte-order mark; a last line without a newline")
    func lineEnds() throws {
        #expect(try read("\u{FEFF}a,b\r\n1,2\r\n3,4") == [["a", "b"], ["1", "2"], ["3", "4"]])
    }

    @Test("records remember the line they start on")
    func lineNumbers() throws {
        let records = try CSVReader(source: "t.csv").records(in: Array("h\n\"a\nb\"\nc\n".utf8))
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("strict UTF-8: overlong forms, surrogates and truncated sequences are found")
    func utf8() {
        #expect(UTF8Validation.firstInvalidOffset(in: Array("héllo ✓ 𝄞".utf8)) == nil)
        #expect(UTF8Validation.firstInvalidOffset(in: [0x61, 0xC0, 0xAF]) == 1)
        #expect(UTF8Validation.firstInvalidOffset(in: [0x61, 0x62, 0xED, 0xA0, 0x80]) == 2)
        #expect(UTF8Validation.firstInvalidOffset(in: [0xE2, 0x9C]) == 0)
    }
}
