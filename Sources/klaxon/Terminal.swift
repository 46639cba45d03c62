import Foundation

/// Writes user-facing text that is not a log line.
enum Terminal {
    /// Writes `text` to standard error as it is.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
