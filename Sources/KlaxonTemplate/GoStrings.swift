import Foundation

/// Go's `strings` helpers that Prometheus exposes to templates, with Go's per-rune behaviour.
enum GoStrings {
    /// `strings.ToUpper`: simple one-to-one case mapping per code point (no `ß` → `SS`).
    static func upper(_ text: String) -> String {
        map(text) { $0.properties.uppercaseMapping }
    }

    /// `strings.ToLower`.
    static func lower(_ text: String) -> String {
        map(text) { $0.properties.lowercaseMapping }
    }

    /// `strings.Title`: upper-cases the first letter of each word; words are split at separators
    /// (spaces, and ASCII other than letters, digits and `_`).
    static func title(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if isSeparator(previous) {
                let mapped = scalar.properties.titlecaseMapping.unicodeScalars
                if mapped.count == 1 { out.append(contentsOf: mapped) } else { out.append(scalar) }
            } else {
                out.append(scalar)
            }
            previous = scalar
        }
        return String(out)
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            return !(isWordByte(byte) && byte < 0x80)
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return false }
        return properties.isWhitespace
    }

    private static func map(_ text: String, _ mapping: (Unicode.Scalar) -> String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let mapped = mapping(scalar).unicodeScalars
            if mapped.count == 1 { out.append(contentsOf: mapped) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// Prometheus's `stripPort`: the host of `host:port` or `[v6]:port`; anything else unchanged.
    static func stripPort(_ hostPort: String) -> String {
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return hostPort }
            let after = hostPort[hostPort.index(after: close)...]
            guard after.hasPrefix(":"), !after.dropFirst().contains(":") else { return hostPort }
            return String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
        }
        let parts = hostPort.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return hostPort }
        return String(parts[0])
    }

    /// The path of a URL (`http://host/prefix` → `/prefix`), for `pathPrefix`.
    static func urlPath(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        let path = rest[slash...]
        return String(path.prefix { $0 != "?" && $0 != "#" })
    }

    /// `strconv.ParseFloat`: decimal, exponent, `inf`/`infinity`/`nan` in any case, hex floats.
    static func parseFloat(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 1024, !text.contains(where: { $0.isWhitespace }) else { return nil }
        return Double(text)
    }
}
