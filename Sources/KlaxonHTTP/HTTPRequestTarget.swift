/// Splits a request target into path and query and percent-decodes them.
enum HTTPRequestTarget {
    /// The raw path and raw query of an origin-form (`/a?b`), absolute-form (`http://h/a?b`) or `*` target.
    static func split(_ target: String) -> (rawPath: Substring, rawQuery: Substring) {
        var rest = Substring(target)
        if let schemeEnd = rest.firstRange(of: "://"), !rest.hasPrefix("/") {
            let afterAuthority = rest[schemeEnd.upperBound...]
            rest = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterAuthority[$0...] } ?? ""
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        guard let mark = rest.firstIndex(of: "?") else {
            return (rest.isEmpty ? "/" : rest, "")
        }
        let path = rest[..<mark]
        return (path.isEmpty ? "/" : path, rest[rest.index(after: mark)...])
    }

    /// The path with `%XX` escapes decoded; it must be valid UTF-8 afterwards.
    static func decodePath(_ raw: Substring) throws(HTTPParseError) -> String {
        try decode(raw, plusIsSpace: false, what: "path")
    }

    /// The query items with `%XX` escapes and `+` decoded, empty `&&` pieces skipped.
    static func decodeQuery(_ raw: Substring) throws(HTTPParseError) -> [HTTPQueryItem] {
        var items: [HTTPQueryItem] = []
        for piece in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], plusIsSpace: true, what: "query parameter name")
            let value = parts.count > 1 ? try decode(parts[1], plusIsSpace: true, what: "query parameter \(name)") : ""
            items.append(HTTPQueryItem(name: name, value: value))
        }
        return items
    }

    private static func decode(_ raw: Substring, plusIsSpace: Bool, what: String) throws(HTTPParseError) -> String {
        let bytes = Array(raw.utf8)
        guard bytes.contains(UInt8(ascii: "%")) || (plusIsSpace && bytes.contains(UInt8(ascii: "+"))) else {
            return String(raw)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    throw .bad("The \(what) has an invalid percent-escape at byte \(index + 1); use %XX with two hex digits.")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw .bad("The \(what) is not valid UTF-8 once percent-decoded.")
        }
        return text
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
