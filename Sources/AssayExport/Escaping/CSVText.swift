import Foundation

/// Writes CSV as RFC 4180 describes it: fields separated by commas, records ended by CRLF, and a
/// field holding a comma, a double quote, CR or LF enclosed in double quotes with its quotes doubled.
public enum CSVText {
    public static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
