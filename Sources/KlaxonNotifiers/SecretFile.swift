import Foundation

/// Reads secrets kept in files (`auth_password_file`).
enum SecretFile {
    /// The file's text without trailing newlines; nil when it cannot be read as UTF-8 (64 KiB at most).
    static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // `read` answers nil for an empty file.
        guard let data = try? handle.read(upToCount: 65_536) ?? Data(), let text = String(data: data, encoding: .utf8)
        else { return nil }
        return String(text.reversed().drop(while: { $0.isNewline }).reversed())
    }
}
