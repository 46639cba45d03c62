// MARK: - Flow collections ([a, b] and {k: v})

extension YAMLParser {
    /// Parses a flow sequence or mapping starting at `[` or `{`; it may span lines.
    mutating func parseFlowCollection() throws(YAMLError) -> YAMLNode {
        try enterCollection()
        defer { depth -= 1 }
        let start = mark()
        let isSequence = peek() == Byte.openBracket
        advance()
        let closing = isSequence ? Byte.closeBracket : Byte.closeBrace
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        var seen: [String: Mark] = [:]
        while true {
            try skipFlowSpace(start: start)
            if peek() == closing {
                advance()
                break
            }
            if isSequence {
                items.append(try parseFlowNode(start: start))
                try skipFlowSpace(start: start)
                if peek() == Byte.colon {
                    throw error("key: value pairs inside a flow sequence must be wrapped in { }")
                }
            } else {
                let entry = try parseFlowEntry(start: start)
                if let first = seen[entry.key] {
                    throw YAMLError(
                        file: file, at: entry.keyMark,
                        "duplicate key \"\(entry.key)\" (first defined at line \(first.line)); each key may appear once"
                    )
                }
                seen[entry.key] = entry.keyMark
                entries.append(entry)
            }
            try skipFlowSpace(start: start)
            if peek() == Byte.comma {
                advance()
                continue
            }
            if peek() == closing {
                advance()
                break
            }
            let expected = isSequence ? "\",\" or \"]\"" : "\",\" or \"}\""
            if let byte = peek() {
                throw error("expected \(expected) in a flow collection, found \(describe(byte))")
            }
            throw error("expected \(expected); the flow collection is not closed")
        }
        return YAMLNode(isSequence ? .sequence(items) : .mapping(entries), at: start)
    }

    private mutating func parseFlowEntry(start: Mark) throws(YAMLError) -> YAMLMappingEntry {
        let keyMark = mark()
        if peek() == Byte.openBracket || peek() == Byte.openBrace {
            throw error("complex mapping keys (a collection used as a key) are not supported")
        }
        if peek() == Byte.colon && isBlankOrEnd(1) {
            throw error("a mapping key is missing before \":\"")
        }
        let keyNode = try parseFlowNode(start: start)
        let key: String
        switch keyNode.kind {
        case .scalar(let text, _): key = text
        case .null: key = ""
        case .sequence, .mapping:
            throw YAMLError(file: file, at: keyMark, "complex mapping keys are not supported")
        }
        try skipFlowSpace(start: start)
        guard peek() == Byte.colon else {
            return YAMLMappingEntry(key: key, keyMark: keyMark, value: YAMLNode(.null, at: mark()))
        }
        advance()
        try skipFlowSpace(start: start)
        if peek() == Byte.comma || peek() == Byte.closeBrace {
            return YAMLMappingEntry(key: key, keyMark: keyMark, value: YAMLNode(.null, at: mark()))
        }
        return YAMLMappingEntry(key: key, keyMark: keyMark, value: try parseFlowNode(start: start))
    }

    private mutating func parseFlowNode(start: Mark) throws(YAMLError) -> YAMLNode {
        guard let byte = peek() else {
            throw YAMLError(file: file, at: start, "the flow collection starting here is not closed")
        }
        if byte == Byte.openBracket || byte == Byte.openBrace {
            return try parseFlowCollection()
        }
        if byte == Byte.pipe || byte == Byte.greater {
            throw error("block scalars (| and >) cannot appear inside a flow collection")
        }
        return try parseScalar(parentIndent: -1, flow: true)
    }

    /// Skips blanks, line breaks and comments inside a flow collection.
    private mutating func skipFlowSpace(start: Mark) throws(YAMLError) {
        try skipToNextContent()
        if isAtEnd {
            throw YAMLError(file: file, at: start, "the flow collection starting here is not closed")
        }
        if atDocumentMarker(Byte.dash) || atDocumentMarker(Byte.dot) {
            throw YAMLError(
                file: file, at: start, "the flow collection starting here is not closed before the document marker")
        }
    }
}
