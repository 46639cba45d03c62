/// Reads one YAML node as a typed value, reporting problems with file, position and field path.
///
/// Every accessor returns nil after reporting when the node does not fit; decoding carries on so
/// all problems of a file are found in one pass. Errors quote the value as written in the file
/// (before `${VAR}` expansion), and secret accessors never quote it.
package struct ValueReader {
    package let node: YAMLNode
    package let path: FieldPath
    package let diagnostics: ConfigDiagnostics

    package init(node: YAMLNode, path: FieldPath, diagnostics: ConfigDiagnostics) {
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
    }

    package var mark: Mark { node.mark }
    package var isNull: Bool { node.isNull }

    /// Records a problem about this value; the message is prefixed with the field path.
    package func fail(_ message: String) {
        diagnostics.report(path.isRoot ? message : "\(path): \(message)", at: node.mark, path: path)
    }

    // MARK: - Scalars

    /// A scalar as text (plain scalars such as `1` or `true` included), after `${VAR}` expansion.
    package func string() -> String? {
        scalar(expecting: "a string")?.text
    }

    /// Like `string()`, but no error ever quotes the value: for tokens, passwords and URLs with credentials.
    package func secretString() -> String? {
        scalar(expecting: "a string", secret: true)?.text
    }

    /// A whole number written plainly (`42`, `-3`, `1_000` is refused); a quoted "42" is refused.
    package func int() -> Int? {
        guard let value = plainScalar(expecting: "an integer") else { return nil }
        guard let number = Int(value.text) else {
            fail("expected an integer, got \(value.quoted)")
            return nil
        }
        return number
    }

    /// A whole number within `range`.
    package func int(in range: ClosedRange<Int>) -> Int? {
        guard let number = int() else { return nil }
        guard range.contains(number) else {
            fail("\(number) is out of range; allowed: \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return number
    }

    /// A number written plainly: decimal, exponent, or `.inf`, `-.inf`, `.nan`.
    package func double() -> Double? {
        guard let value = plainScalar(expecting: "a number") else { return nil }
        switch value.text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        guard let number = Double(value.text), number.isFinite else {
            fail("expected a number, got \(value.quoted)")
            return nil
        }
        return number
    }

    /// `true` or `false` written plainly (any capitalisation YAML allows: true, True, TRUE).
    package func bool() -> Bool? {
        guard let value = plainScalar(expecting: "true or false") else { return nil }
        switch value.text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            fail("expected true or false, got \(value.quoted)")
            return nil
        }
    }

    /// A Prometheus duration (`30s`, `1h30m`) in milliseconds; quoted or plain.
    package func durationMilliseconds() -> Int64? {
        guard let value = scalar(expecting: "a duration") else { return nil }
        switch PrometheusDuration.read(value.text) {
        case .success(let milliseconds):
            return milliseconds
        case .failure(.outOfRange):
            let longest = PrometheusDuration.format(milliseconds: PrometheusDuration.maxMilliseconds)
            fail("duration \(value.quoted) is out of range; at most \(longest) (about 292 years, as in Prometheus)")
            return nil
        case .failure(.syntax):
            fail("invalid duration \(value.quoted); \(PrometheusDuration.syntaxHint)")
            return nil
        }
    }

    /// One of a closed set of words, e.g. `logfmt` or `json`.
    package func oneOf(_ allowed: [String]) -> String? {
        guard let value = scalar(expecting: "one of \(allowed.joined(separator: ", "))") else { return nil }
        guard allowed.contains(value.text) else {
            fail("\(value.quoted) is not allowed; allowed: \(allowed.joined(separator: ", "))")
            return nil
        }
        return value.text
    }

    // MARK: - Collections

    /// The items of a sequence; null is an empty sequence.
    package func sequence() -> [ValueReader]? {
        if node.isNull { return [] }
        guard let items = node.sequenceItems else {
            fail("expected a sequence (a list of \"- item\" lines or [a, b]), got \(node.kindDescription)")
            return nil
        }
        return items.enumerated().map { index, item in
            ValueReader(node: item, path: path.appending(index: index), diagnostics: diagnostics)
        }
    }

    /// A sequence of strings; an item that is not a scalar is reported and skipped.
    package func stringList() -> [String]? {
        guard let items = sequence() else { return nil }
        return items.compactMap { $0.string() }
    }

    /// A mapping with a fixed set of keys; unknown keys are reported. Null is an empty mapping.
    package func mapping(allowedKeys: [String]) -> MappingReader? {
        let entries: [YAMLMappingEntry]
        if node.isNull {
            entries = []
        } else if let found = node.mappingEntries {
            entries = found
        } else {
            fail("expected a mapping (key: value lines or {k: v}), got \(node.kindDescription)")
            return nil
        }
        return MappingReader(
            node: node, entries: entries, path: path, diagnostics: diagnostics, allowedKeys: allowedKeys)
    }

    /// A mapping from arbitrary keys to strings, in file order (labels, annotations).
    ///
    /// A null mapping is empty; a null value is the empty string.
    package func stringMap() -> [StringMapEntry]? {
        if node.isNull { return [] }
        guard let entries = node.mappingEntries else {
            fail("expected a mapping of names to strings, got \(node.kindDescription)")
            return nil
        }
        return entries.compactMap { entry in
            let value = ValueReader(node: entry.value, path: path.appending(entry.key), diagnostics: diagnostics)
            // As in Prometheus's decoder, `name:` with no value is the empty string.
            guard let text = entry.value.isNull ? "" : value.string() else { return nil }
            return StringMapEntry(key: entry.key, value: text, keyMark: entry.keyMark, valueMark: entry.value.mark)
        }
    }

    // MARK: - Scalar access

    /// The text of a scalar after expansion, with the as-written form for messages.
    struct ScalarValue {
        var text: String
        var style: YAMLScalarStyle
        /// The value as written in the file, quoted and shortened, for error messages.
        var quoted: String
    }

    func scalar(expecting expected: String, secret: Bool = false) -> ScalarValue? {
        guard case .scalar(let raw, let style) = node.kind else {
            fail("expected \(expected), got \(node.kindDescription)")
            return nil
        }
        var text = raw
        if let expansion = diagnostics.expansion {
            do {
                text = try expansion.expand(raw)
            } catch {
                fail(error.description)
                return nil
            }
        }
        let shown = raw.count > 64 ? String(raw.prefix(61)) + "..." : raw
        var quoted = secret ? "(value hidden)" : "\"\(shown.replacingNewlines())\""
        if !secret && text != raw { quoted += " (after expanding environment variables)" }
        return ScalarValue(text: text, style: style, quoted: quoted)
    }

    /// Numbers and booleans must be plain: a quoted "1" is a string, as in Prometheus's YAML decoder.
    private func plainScalar(expecting expected: String) -> ScalarValue? {
        guard let value = scalar(expecting: expected) else { return nil }
        guard !value.style.isQuoted else {
            fail("expected \(expected), got a quoted string \(value.quoted); remove the quotes")
            return nil
        }
        return value
    }
}

/// One `key: value` of a string mapping, with both positions.
package struct StringMapEntry: Sendable, Hashable {
    package var key: String
    package var value: String
    package var keyMark: Mark
    package var valueMark: Mark
}

extension String {
    /// The text on one line, for quoting in an error message.
    fileprivate func replacingNewlines() -> String {
        var output = ""
        for character in self {
            switch character {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default: output.append(character)
            }
        }
        return output
    }
}
