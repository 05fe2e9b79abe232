import AssayCore
import AssaySupport
import Foundation
import Testing

struct RunSelectionTests {
    /// Dataset positions 1 to 50.
    static let items = Array(1...50)

    @Test func limitTakesTheFirstItemsInOrder() {
        #expect(RunSelection(limit: 3).pick(from: Self.items) == [1, 2, 3])
        #expect(RunSelection().pick(from: Self.items).count == 50)
    }

    @Test func aSeededSampleIsFixedAndInDatasetOrder() {
        let first = RunSelection(sample: 10, seed: 7).pick(from: Self.items)
        #expect(first == RunSelection(sample: 10, seed: 7).pick(from: Self.items))
        #expect(first == first.sorted() && Set(first).count == 10)
        #expect(first != RunSelection(sample: 10, seed: 8).pick(from: Self.items))
        // Fixed values: the generator is SplitMix64, so these never change between machines or Swift versions.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func theSelectionKeepsTheJSONShapeOfEarlierDatabases() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let sample = RunSelection(sample: 5, seed: 3)
        #expect(String(decoding: try encoder.encode(sample), as: UTF8.self) == #"{"sample":5,"seed":3}"#)
        let imported = RunSelection.imported(from: "a.csv", sha256: "ab12")
        #expect(String(decoding: try encoder.encode(imported), as: UTF8.self) == #"{"imported_from":"a.csv","sha256":"ab12"}"#)
        let stored = try JSONDecoder().decode(RunSelection.self, from: Data(#"{"imported_from":"a.csv","sha256":"ab12"}"#.utf8))
        #expect(stored == imported)
    }
}
