/// Facts about labelled texts that both a freshly read file and a stored dataset report.
public enum DatasetStatistics {
    /// Distinct texts carrying more than one label, in order of first appearance, labels sorted.
    public static func conflicts(in pairs: [(text: String, label: String)]) -> [(text: String, labels: [String])] {
        var order: [String] = []
        var labelsByText: [String: Set<String>] = [:]
        for (text, label) in pairs {
            if labelsByText[text] == nil { order.append(text) }
            labelsByText[text, default: []].insert(label)
        }
        return order.compactMap { text in
            guard let labels = labelsByText[text], labels.count > 1 else { return nil }
            return (text, labels.sorted())
        }
    }

    /// Texts that appear more than once, with how many times, in order of first appearance.
    public static func duplicates(in texts: [String]) -> [(text: String, occurrences: Int)] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for text in texts {
            if counts[text] == nil { order.append(text) }
            counts[text, default: 0] += 1
        }
        return order.compactMap { text in
            guard let count = counts[text], count > 1 else { return nil }
            return (text, count)
        }
    }
}
