import Foundation

/// Small helpers for reading server JSON whose shape is not trusted.
enum JSONObject {
    /// The bytes as a JSON object, or nil when they are not one.
    static func parse(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// `keys` of `object` that are present, as a compact JSON object with sorted keys.
    static func subset(_ object: [String: Any], keys: [String]) -> String? {
        let kept = object.filter { keys.contains($0.key) }
        guard !kept.isEmpty, JSONSerialization.isValidJSONObject(kept),
            let data = try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func int(_ value: Any?) -> Int? {
        (value as? NSNumber).map(\.intValue)
    }

    /// A finite, non-negative number, or nil.
    static func double(_ value: Any?) -> Double? {
        guard let number = (value as? NSNumber)?.doubleValue, number.isFinite, number >= 0 else { return nil }
        return number
    }

    /// A short, printable excerpt of a body for error messages.
    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(120), as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
        return data.count > 120 ? text + "..." : text
    }
}
