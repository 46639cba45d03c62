// MARK: - Block collections

extension YAMLParser {
    /// Parses the node whose first byte is at the current position.
    ///
    /// `parentIndent` is the indentation of the enclosing block (-1 at the top): continuation
    /// lines of scalars must be indented deeper. `allowsCollections` is false right after
    /// `key: `, where a block sequence or mapping cannot start on the same line.
    mutating func parseBlockNode(parentIndent: Int, allowsCollections: Bool) throws(YAMLError) -> YAMLNode {
        try refuseUnsupportedNodeStart()
        let start = mark()
        guard let byte = peek() else { return YAMLNode(.null, at: start) }
        if byte == Byte.dash && isBlankOrEnd(1) {
            guard allowsCollections else {
                throw error("a block sequence cannot start on the same line as its key; move it to the next line")
            }
            return try parseBlockSequence()
        }
        if byte == Byte.pipe || byte == Byte.greater {
            return try parseBlockScalar(parentIndent: parentIndent)
        }
        if byte == Byte.openBracket || byte == Byte.openBrace {
            let node = try parseFlowCollection()
            skipInlineSpace()
            if peek() == Byte.colon && isBlankOrEnd(1) {
                throw YAMLError(
                    file: file, at: start, "complex mapping keys (a collection used as a key) are not supported")
            }
            try expectLineEnd()
            return node
        }
        if byte == Byte.colon && isBlankOrEnd(1) {
            throw error("a mapping key is missing before \":\"")
        }
        let column = indent
        if let key = try scanSimpleKey() {
            guard allowsCollections else {
                throw YAMLError(
                    file: file, at: start,
                    "mapping values are not allowed here; a nested mapping must start on its own line")
            }
            return try parseBlockMapping(firstKey: key, column: column)
        }
        let node = try parseScalar(parentIndent: parentIndent, flow: false)
        try expectLineEnd()
        return node
    }

    /// Refuses anchors, aliases, tags and complex keys where a node starts.
    mutating func refuseUnsupportedNodeStart() throws(YAMLError) {
        guard let byte = peek() else { return }
        switch byte {
        case Byte.ampersand: throw error("anchors (&) are not supported; repeat the value instead")
        case Byte.asterisk: throw error("aliases (*) are not supported; repeat the value instead")
        case Byte.exclamation: throw error("tags (!) are not supported; remove the tag")
        case Byte.question where isBlankOrEnd(1):
            throw error("complex mapping keys (?) are not supported")
        case Byte.percent where indent == 0:
            throw error("directives (%) are not supported; remove the line")
        case Byte.at, Byte.backtick:
            throw error("\(describe(byte)) is reserved and cannot start a plain scalar; quote the value")
        default: return
        }
    }

    /// A key on the current line (`key:` followed by a blank), or nil with the position unchanged.
    mutating func scanSimpleKey() throws(YAMLError) -> (text: String, mark: Mark)? {
        let saved = (pos, line, lineStart)
        let keyMark = mark()
        let text: String
        if peek() == Byte.singleQuote || peek() == Byte.doubleQuote {
            let node = try parseQuotedScalar()
            text = node.scalarText ?? ""
            skipInlineSpace()
        } else {
            text = scanPlainLine(flow: false)
            skipInlineSpace()
        }
        if peek() == Byte.colon && isBlankOrEnd(1) && line == saved.1 {
            advance()
            return (text, keyMark)
        }
        (pos, line, lineStart) = saved
        return nil
    }

    mutating func parseBlockMapping(firstKey: (text: String, mark: Mark), column: Int) throws(YAMLError) -> YAMLNode {
        try enterCollection()
        defer { depth -= 1 }
        var entries: [YAMLMappingEntry] = []
        var seen: [String: Mark] = [:]
        var key = firstKey
        while true {
            if let first = seen[key.text] {
                throw YAMLError(
                    file: file, at: key.mark,
                    "duplicate key \"\(key.text)\" (first defined at line \(first.line)); each key may appear once")
            }
            seen[key.text] = key.mark
            let value = try parseBlockValue(parentIndent: column, isMappingValue: true)
            entries.append(YAMLMappingEntry(key: key.text, keyMark: key.mark, value: value))
            try skipToNextContent()
            if isAtEnd || atDocumentMarker(Byte.dash) || atDocumentMarker(Byte.dot) || indent < column { break }
            if indent > column {
                throw error("unexpected indentation; expected a key at column \(column + 1) or less")
            }
            if peek() == Byte.dash && isBlankOrEnd(1) {
                throw error("expected a mapping key at this indentation, found a sequence entry")
            }
            try refuseUnsupportedNodeStart()
            if peek() == Byte.colon && isBlankOrEnd(1) {
                throw error("a mapping key is missing before \":\"")
            }
            guard let next = try scanSimpleKey() else {
                throw error("expected a mapping key (\"key: value\") at this indentation")
            }
            key = next
        }
        return YAMLNode(.mapping(entries), at: firstKey.mark)
    }

    mutating func parseBlockSequence() throws(YAMLError) -> YAMLNode {
        try enterCollection()
        defer { depth -= 1 }
        let column = indent
        let start = mark()
        var items: [YAMLNode] = []
        while true {
            advance()  // the dash
            items.append(try parseBlockValue(parentIndent: column, isMappingValue: false))
            try skipToNextContent()
            if isAtEnd || atDocumentMarker(Byte.dash) || atDocumentMarker(Byte.dot) || indent < column { break }
            if indent > column {
                throw error("unexpected indentation; expected \"- \" at column \(column + 1) or less")
            }
            guard peek() == Byte.dash && isBlankOrEnd(1) else { break }
        }
        return YAMLNode(.sequence(items), at: start)
    }

    /// The value after `key:` or `- `: on the same line, on the following more-indented lines, or null.
    ///
    /// A mapping value may also be a block sequence at the key's own indentation.
    mutating func parseBlockValue(parentIndent: Int, isMappingValue: Bool) throws(YAMLError) -> YAMLNode {
        let afterIndicator = mark()
        skipInlineSpace()
        let atComment = peek() == Byte.hash && isBlankOrEnd(-1)
        if !isAtEnd && !isLineBreak() && !atComment {
            return try parseBlockNode(parentIndent: parentIndent, allowsCollections: !isMappingValue)
        }
        try skipToNextContent()
        if isAtEnd || atDocumentMarker(Byte.dash) || atDocumentMarker(Byte.dot) {
            return YAMLNode(.null, at: afterIndicator)
        }
        if indent > parentIndent {
            return try parseBlockNode(parentIndent: parentIndent, allowsCollections: true)
        }
        if isMappingValue && indent == parentIndent && peek() == Byte.dash && isBlankOrEnd(1) {
            return try parseBlockSequence()
        }
        return YAMLNode(.null, at: afterIndicator)
    }
}
