/// A path into a JSON document, as used by JSON scrape mappings: `a.b[*].c`, `items[0].value`.
///
/// Keys are separated by dots; `[*]` visits every element of an array, `[n]` one element.
/// A leading `$` or `$.` is accepted and ignored.
package struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path.
    package enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
        case wildcard
    }

    package var components: [Component]

    package init(_ components: [Component]) {
        self.components = components
    }

    /// Parses the path syntax; throws a sentence saying what is wrong.
    package init(parsing text: String) throws(JSONPathError) {
        var rest = Substring(text)
        if rest.hasPrefix("$.") {
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix("$") {
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { throw JSONPathError("the path is empty") }
        var components: [Component] = []
        var expectKey = !rest.hasPrefix("[")
        while !rest.isEmpty || expectKey {
            if expectKey {
                let key = rest.prefix { $0 != "." && $0 != "[" && $0 != "]" }
                guard !key.isEmpty else { throw JSONPathError("a key is empty; write keys between dots, e.g. a.b.c") }
                components.append(.key(String(key)))
                rest = rest.dropFirst(key.count)
                expectKey = false
            }
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { throw JSONPathError("\"[\" has no closing \"]\"") }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside == "*" {
                    components.append(.wildcard)
                } else if let index = Int(inside), index >= 0, inside.allSatisfy(\.isASCII) {
                    components.append(.index(index))
                } else {
                    throw JSONPathError("\"[\(inside)]\" is not an index; write [*] or a number such as [0]")
                }
                rest = rest[rest.index(after: close)...]
            }
            if rest.isEmpty { break }
            guard rest.hasPrefix(".") else {
                throw JSONPathError("unexpected \"\(rest.prefix(1))\"; separate keys with \".\"")
            }
            rest = rest.dropFirst()
            expectKey = true
        }
        self.components = components
    }

    /// True when the path visits several elements (`[*]`).
    package var hasWildcard: Bool { components.contains(.wildcard) }

    /// The path in its canonical written form.
    package var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            case .wildcard: text += "[*]"
            }
        }
        return text
    }
}

/// Why a JSON path did not parse.
package struct JSONPathError: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}

extension ValueReader {
    /// A JSON path such as `data.items[*].value`.
    package func jsonPath() -> JSONPath? {
        guard let value = scalar(expecting: "a JSON path") else { return nil }
        do {
            return try JSONPath(parsing: value.text)
        } catch {
            fail("invalid path \(value.quoted): \(error.description)")
            return nil
        }
    }
}
