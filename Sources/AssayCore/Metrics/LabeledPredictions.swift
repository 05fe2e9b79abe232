import AssaySupport

/// A run's answers coded as small integers, ready for counting: one true class per item and the
/// parsed class of each answer, or `unparsed` when the answer named no class.
///
/// Integer codes keep the hot loops (metrics over a million items, a thousand bootstrap
/// resamples) free of string comparisons.
public struct LabeledPredictions: Sendable, Equatable {
    /// The code of an answer that could not be parsed into one of `labels`.
    public static let unparsed: Int32 = -1

    /// Class names; a code is an index into this array.
    public let labels: [String]
    public let truth: [Int32]
    public let predicted: [Int32]

    public var count: Int { truth.count }

    /// Codes already checked by the caller: every truth in `0..<labels.count`, every prediction
    /// there or `unparsed`.
    public init(labels: [String], truth: [Int32], predicted: [Int32]) throws {
        guard truth.count == predicted.count else {
            throw AssayError("\(truth.count) true labels but \(predicted.count) predictions; every item needs exactly one of each")
        }
        let classCount = Int32(labels.count)
        if let bad = truth.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw AssayError("item \(bad): true class code \(truth[bad]) is outside 0..<\(classCount)")
        }
        if let bad = predicted.firstIndex(where: { $0 < Self.unparsed || $0 >= classCount }) {
            throw AssayError(
                "item \(bad): predicted class code \(predicted[bad]) is outside 0..<\(classCount) and is not the unparsed code")
        }
        self.labels = labels
        self.truth = truth
        self.predicted = predicted
    }

    /// Codes string labels; `nil` in `predicted` is an unparsed answer. `labels` fixes the class
    /// order; when omitted, the classes are the sorted union of the true and predicted labels.
    public init(truth: [String], predicted: [String?], labels: [String]? = nil) throws {
        let classes = labels ?? Array(Set(truth).union(predicted.compactMap { $0 })).sorted()
        var codes: [String: Int32] = [:]
        for (index, label) in classes.enumerated() {
            guard codes.updateValue(Int32(index), forKey: label) == nil else {
                throw AssayError("label '\(label)' is listed twice in the label set; list each class once")
            }
        }
        func code(_ label: String, item: Int, role: String) throws -> Int32 {
            guard let code = codes[label] else {
                throw AssayError(
                    "item \(item): \(role) label '\(label)' is not one of the task's labels (\(classes.joined(separator: ", ")))")
            }
            return code
        }
        var truthCodes = [Int32]()
        var predictedCodes = [Int32]()
        truthCodes.reserveCapacity(truth.count)
        predictedCodes.reserveCapacity(predicted.count)
        for (item, label) in truth.enumerated() { truthCodes.append(try code(label, item: item, role: "true")) }
        for (item, label) in predicted.enumerated() {
            predictedCodes.append(try label.map { try code($0, item: item, role: "predicted") } ?? Self.unparsed)
        }
        try self.init(labels: classes, truth: truthCodes, predicted: predictedCodes)
    }

    /// The items whose answer was parsed, for the `exclude` unparsed policy.
    private func droppingUnparsed() -> LabeledPredictions {
        var keptTruth = [Int32]()
        var keptPredicted = [Int32]()
        keptTruth.reserveCapacity(count)
        keptPredicted.reserveCapacity(count)
        for index in 0..<count where predicted[index] != Self.unparsed {
            keptTruth.append(truth[index])
            keptPredicted.append(predicted[index])
        }
        return LabeledPredictions(validatedLabels: labels, truth: keptTruth, predicted: keptPredicted)
    }

    /// Applies an unparsed-answer policy.
    public func applying(_ policy: UnparsedPolicy) -> LabeledPredictions {
        switch policy {
        case .countAsWrong: self
        case .exclude: droppingUnparsed()
        }
    }

    private init(validatedLabels: [String], truth: [Int32], predicted: [Int32]) {
        self.labels = validatedLabels
        self.truth = truth
        self.predicted = predicted
    }
}
