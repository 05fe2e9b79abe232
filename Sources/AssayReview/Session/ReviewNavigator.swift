import AssayCore
import AssayStore

/// Where the annotator is in the queue: the order, the filter, the item shown, the trail for
/// `back`, and which items are scored or skipped. Pure state: it never touches the store.
///
/// Every step the annotator takes costs O(1) on average (counts are kept up to date rather than
/// recounted), so a queue of a million predictions stays instant; only a new filter is O(n).
public struct ReviewNavigator: Sendable {
    public private(set) var entries: [ReviewQueueEntry]
    public private(set) var filter = ReviewFilter()
    /// Indices into `entries` of the items the filter admits, in session order.
    private var visible: [Int]
    /// For each entry, its index in `visible`, or nil when the filter hides it.
    private var visibleIndexOfEntry: [Int?]
    private let entryIndexByID: [PredictionID: Int]
    /// Index into `visible` of the item shown; nil when every item in view is done.
    private var cursor: Int?
    /// Prediction ids shown before the current one, most recent last.
    private var trail: [PredictionID] = []
    public private(set) var scored: Set<PredictionID>
    public private(set) var skipped: Set<PredictionID> = []
    private var scoredInView = 0
    private var skippedInView = 0

    public init(entries: [ReviewQueueEntry], scored: Set<PredictionID>) {
        self.entries = entries
        self.scored = scored
        visible = Array(entries.indices)
        visibleIndexOfEntry = Array(entries.indices)
        var byID: [PredictionID: Int] = [:]
        byID.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() { byID[entry.predictionID] = index }
        entryIndexByID = byID
        scoredInView = entries.count { scored.contains($0.predictionID) }
    }

    public var current: ReviewQueueEntry? { cursor.map { entries[visible[$0]] } }

    /// The current item's 1-based number in the list in view.
    public var currentNumber: Int? { cursor.map { $0 + 1 } }

    public var count: Int { visible.count }

    public var progress: ReviewProgress {
        ReviewProgress(scored: scoredInView, total: visible.count, skipped: skippedInView)
    }

    /// Moves to the next item to serve after the current one (wrapping): first the unscored items not
    /// skipped, then the skipped ones. `servable` can veto an item (enough annotators have scored it).
    public mutating func advance(servable: (ReviewQueueEntry) throws -> Bool) rethrows {
        let start = cursor.map { $0 + 1 } ?? 0
        for wantSkipped in [false, true] {
            for step in 0..<visible.count {
                let index = (start + step) % visible.count
                let entry = entries[visible[index]]
                if scored.contains(entry.predictionID) || skipped.contains(entry.predictionID) != wantSkipped { continue }
                if try servable(entry) {
                    move(to: index)
                    return
                }
            }
        }
        if let current { trail.append(current.predictionID) }
        cursor = nil
    }

    /// Leaves the current item unscored and moves on.
    public mutating func skip(servable: (ReviewQueueEntry) throws -> Bool) rethrows {
        if let current, !scored.contains(current.predictionID), skipped.insert(current.predictionID).inserted {
            skippedInView += 1
        }
        try advance(servable: servable)
    }

    /// Returns to the item shown before; false when there is none in view.
    public mutating func goBack() -> Bool {
        while let previous = trail.popLast() {
            if let index = visibleIndex(of: previous) {
                cursor = index
                return true
            }
        }
        return false
    }

    /// Shows item `number` (1-based) of the list in view; false when out of range.
    public mutating func go(to number: Int) -> Bool {
        guard number >= 1 && number <= visible.count else { return false }
        move(to: number - 1)
        return true
    }

    /// Shows the prediction; false when it is not in view.
    public mutating func show(predictionID: PredictionID) -> Bool {
        guard let index = visibleIndex(of: predictionID) else { return false }
        move(to: index)
        return true
    }

    /// The first of `ids` in view after the current item, wrapping round to it.
    public func firstInView(of ids: Set<PredictionID>) -> PredictionID? {
        let start = cursor.map { $0 + 1 } ?? 0
        for step in 0..<visible.count {
            let entry = entries[visible[(start + step) % visible.count]]
            if ids.contains(entry.predictionID) { return entry.predictionID }
        }
        return nil
    }

    public mutating func markScored(_ predictionID: PredictionID) {
        let inView = visibleIndex(of: predictionID) != nil
        if scored.insert(predictionID).inserted && inView { scoredInView += 1 }
        if skipped.remove(predictionID) != nil && inView { skippedInView -= 1 }
    }

    public mutating func markUnscored(_ predictionID: PredictionID) {
        if scored.remove(predictionID) != nil && visibleIndex(of: predictionID) != nil { scoredInView -= 1 }
    }

    /// Applies a filter. The current item stays when the filter admits it; otherwise the next item to serve is shown.
    public mutating func setFilter(_ newFilter: ReviewFilter, servable: (ReviewQueueEntry) throws -> Bool) rethrows {
        let shown = current
        filter = newFilter
        visible = entries.indices.filter { newFilter.admits(entries[$0]) }
        visibleIndexOfEntry = Array(repeating: nil, count: entries.count)
        for (index, entryIndex) in visible.enumerated() { visibleIndexOfEntry[entryIndex] = index }
        let ids = visible.map { entries[$0].predictionID }
        scoredInView = ids.count(where: scored.contains)
        skippedInView = ids.count { skipped.contains($0) && !scored.contains($0) }
        cursor = nil
        if let shown, let index = visibleIndex(of: shown.predictionID) {
            cursor = index
        } else {
            try advance(servable: servable)
        }
    }

    private mutating func move(to index: Int) {
        if let current, current.predictionID != entries[visible[index]].predictionID {
            trail.append(current.predictionID)
        }
        cursor = index
    }

    private func visibleIndex(of predictionID: PredictionID) -> Int? {
        entryIndexByID[predictionID].flatMap { visibleIndexOfEntry[$0] }
    }
}
