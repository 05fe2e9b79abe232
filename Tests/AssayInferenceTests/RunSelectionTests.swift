import AssayCore
@testable import AssayInference
import AssayStore
import AssaySupport
import Testing

struct RunSelectionTests {
    static let items = (1...50).map { ItemRecord(id: Int64($0), datasetId: 1, position: $0, text: "t\($0)", goldLabel: "positive", textHash: "") }

    @Test func limitTakesTheFirstItemsInOrder() {
        #expect(RunSelection(limit: 3).items(from: Self.items).map(\.position) == [1, 2, 3])
        #expect(RunSelection().items(from: Self.items).count == 50)
    }

    @Test func aSeededSampleIsFixedAndInDatasetOrder() {
        let first = RunSelection(sample: 10, seed: 7).items(from: Self.items).map(\.position)
        #expect(first == RunSelection(sample: 10, seed: 7).items(from: Self.items).map(\.position))
        #expect(first == first.sorted() && Set(first).count == 10)
        #expect(first != RunSelection(sample: 10, seed: 8).items(from: Self.items).map(\.position))
        // Fixed values: the generator is SplitMix64, so these never change between machines or Swift versions.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func theSelectionRoundTripsThroughItsJSON() throws {
        let selection = RunSelection(sample: 5, seed: 3)
        #expect(selection.json == #"{"sample":5,"seed":3}"#)
        #expect(try RunSelection(json: selection.json, runID: 1) == selection)
        #expect(throws: (any Error).self) { try RunSelection(json: "[", runID: 4) }
    }
}
