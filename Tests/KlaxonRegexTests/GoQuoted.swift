import Foundation

/// Go's `strconv.Unquote` for the double-quoted strings in Go's regexp test data, to bytes (the
/// data holds invalid UTF-8 on purpose).
enum GoQuoted {
    static func unquote(_ line: String) -> [UInt8]? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else {
            return nil
        }
        var out: [UInt8] = []
        var i = 1
        let end = bytes.count - 1
        func hex(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= end else { return nil }
            return UInt32(String(decoding: bytes[from..<(from + count)], as: UTF8.self), radix: 16)
        }
        while i < end {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < end else { return nil }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(escape)
            case UInt8(ascii: "x"):
                guard let value = hex(i, 2) else { return nil }
                out.append(UInt8(value))
                i += 2
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = escape == UInt8(ascii: "u") ? 4 : 8
                guard let value = hex(i, digits), let scalar = Unicode.Scalar(value) else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += digits
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard i + 2 <= end,
                    let value = UInt8(String(decoding: bytes[(i - 1)..<(i + 2)], as: UTF8.self), radix: 8)
                else { return nil }
                out.append(value)
                i += 2
            default:
                return nil
            }
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
