/// Turns user text into HTML character data that can never open a tag, end an attribute or start
/// an entity.
public enum HTMLText {
    /// Escapes `& < > " '`; safe both between tags and inside a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Escapes the text and keeps its line breaks visible as `<br>`.
    public static func escapeKeepingLines(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { escape(String($0)) }
            .joined(separator: "<br>")
    }
}
