import Foundation

/// Where an annotator's input history lives: `$XDG_DATA_HOME/assay/history/NAME.history`, else
/// `~/.local/share/assay/history/NAME.history`. Per annotator and not per database, so that the
/// Up arrow recalls the annotator's own lines whichever study they are reviewing.
public enum HistoryFileLocation {
    public static func url(annotator: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        let safeName = String(
            annotator.unicodeScalars.map { scalar -> Character in
                CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
            })
        return dataHome.appendingPathComponent("assay/history/\(safeName).history")
    }
}
