import Foundation
import KlaxonRuntime

/// Go's `strconv.Unquote` for the double-quoted strings in Go's regexp test data, to bytes (the
/// data holds invalid UTF-8 on purpose). Escapes decode as the PromQL lexer's do (`GoEscape`).
enum GoQuoted {
    static func unquote(_ line: String) -> [UInt8]? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else {
            return nil
        }
        let inner = Array(bytes[1..<(bytes.count - 1)])
        var out: [UInt8] = []
        var i = 0
        while i < inner.count {
            guard inner[i] == UInt8(ascii: "\\") else {
                out.append(inner[i])
                i += 1
                continue
            }
            guard case .success(let next) = GoEscape.decode(inner, at: i + 1, quote: UInt8(ascii: "\""), into: &out)
            else { return nil }
            i = next
        }
        return out
    }
}

/// Go's regexp test data, read in place from `../shared/conformance/re2`.
enum RE2Data {
    static func folder() -> URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared/conformance/re2")
    }

    /// The file's lines; empty when the data is missing (the tests then fail on their counts).
    static func lines(_ name: String) -> [String] {
        guard let data = try? Data(contentsOf: folder().appendingPathComponent(name)) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    /// A pattern line of `invalid.txt` and friends: raw text, or Go-quoted when it starts with `"`.
    static func pattern(_ line: String) -> [UInt8] {
        line.hasPrefix("\"") ? (GoQuoted.unquote(line) ?? Array(line.utf8)) : Array(line.utf8)
    }
}
