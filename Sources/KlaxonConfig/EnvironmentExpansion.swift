import Foundation

/// Expands `${VAR}` and `${VAR:-default}` in configuration values; `$$` is a literal `$`.
///
/// A `$` followed by anything else is kept as written. Values are never echoed in errors:
/// environment variables often carry secrets.
package struct EnvironmentExpansion: Sendable {
    package var environment: [String: String]

    /// Longest expanded value accepted, so a huge variable cannot blow up a config.
    package static let maxExpandedBytes = 1 << 20

    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The text with every reference replaced; throws naming the first bad reference.
    package func expand(_ text: String) throws(ExpansionError) -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let afterDollar = rest.index(after: dollar)
            guard afterDollar < rest.endIndex else {
                output += "$"
                rest = rest[afterDollar...]
                break
            }
            switch rest[afterDollar] {
            case "$":
                output += "$"
                rest = rest[rest.index(after: afterDollar)...]
            case "{":
                let bodyStart = rest.index(after: afterDollar)
                guard let close = rest[bodyStart...].firstIndex(of: "}") else { throw .unterminated }
                output += try substitute(rest[bodyStart..<close])
                rest = rest[rest.index(after: close)...]
            default:
                output += "$"
                rest = rest[afterDollar...]
            }
            if output.utf8.count > Self.maxExpandedBytes { throw .tooLong(limit: Self.maxExpandedBytes) }
        }
        output += rest
        return output
    }

    private func substitute(_ body: Substring) throws(ExpansionError) -> String {
        var name = body
        var fallback: Substring?
        if let separator = body.range(of: ":-") {
            name = body[..<separator.lowerBound]
            fallback = body[separator.upperBound...]
        }
        guard Self.isValidName(name) else { throw .invalidName(String(name.prefix(64))) }
        if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
            return value
        }
        if let fallback { return String(fallback) }
        throw .unset(String(name))
    }

    private static func isValidName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }
}

/// Why `${…}` expansion failed; the sentences name the variable, never its value.
package enum ExpansionError: Error, Sendable, Hashable, CustomStringConvertible {
    case unset(String)
    case invalidName(String)
    case unterminated
    case tooLong(limit: Int)

    package var description: String {
        switch self {
        case .unset(let name):
            "environment variable \(name) is not set; set it or give a default with ${\(name):-default}"
        case .invalidName(let name):
            "\"${\(name)}\" is not a valid environment variable reference; names are letters, digits and _ "
                + "(write $$ for a literal $)"
        case .unterminated:
            "\"${\" has no closing \"}\"; write $$ for a literal $"
        case .tooLong(let limit):
            "the value is longer than \(limit) bytes after expanding environment variables"
        }
    }
}
