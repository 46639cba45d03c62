// MARK: - Literal (|) and folded (>) block scalars

extension YAMLParser {
    private enum Chomping {
        case strip, clip, keep
    }

    private struct BlockLine {
        var text: ArraySlice<UInt8>
        /// Starts with a blank after the indentation: folding keeps its line breaks.
        var isMoreIndented: Bool
    }

    /// Parses `|` or `>` with optional chomping (`-`, `+`) and indentation (1–9) indicators.
    mutating func parseBlockScalar(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let start = mark()
        let isLiteral = peek() == Byte.pipe
        advance()
        var chomping = Chomping.clip
        var explicitIndent: Int?
        var sawChomping = false
        while let byte = peek(), !isBlankOrEnd() {
            if (byte == Byte.dash || byte == Byte.plus) && !sawChomping {
                chomping = byte == Byte.dash ? .strip : .keep
                sawChomping = true
            } else if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") && explicitIndent == nil {
                explicitIndent = Int(byte - UInt8(ascii: "0"))
            } else {
                throw error(
                    "invalid block scalar header; after | or > only a chomping indicator (- or +) "
                        + "and an indentation digit 1-9 may follow")
            }
            advance()
        }
        skipInlineSpace()
        if peek() == Byte.hash && isBlankOrEnd(-1) { skipToLineEnd() }
        guard isAtEnd || isLineBreak() else {
            throw error("unexpected text after a block scalar header; the content starts on the next line")
        }
        if !isAtEnd { consumeLineBreak() }

        let base = max(parentIndent, 0)
        let contentIndent = explicitIndent.map { base + $0 } ?? detectIndent(minimum: parentIndent + 1)
        var lines: [BlockLine?] = []  // nil is an empty line
        var endsWithBreak = false
        while !isAtEnd {
            var spaces = 0
            while peek(spaces) == Byte.space { spaces += 1 }
            let blank = isLineBreak(spaces) || pos + spaces >= bytes.count
            if blank && spaces <= contentIndent {
                advance(by: spaces)
                lines.append(nil)
            } else if spaces >= contentIndent {
                advance(by: contentIndent)
                let textStart = pos
                skipToLineEnd()
                let text = bytes[textStart..<pos]
                let first = text.first
                lines.append(BlockLine(text: text, isMoreIndented: first == Byte.space || first == Byte.tab))
            } else {
                break
            }
            endsWithBreak = isLineBreak()
            if isAtEnd { break }
            consumeLineBreak()
        }
        var trailingEmpty = 0
        while let last = lines.last, last == nil {
            lines.removeLast()
            trailingEmpty += 1
        }
        var output = isLiteral ? literal(lines) : folded(lines)
        let hasContent = !lines.isEmpty
        // Line breaks after the last content line: its own, one per empty line, less one when input ends mid-line.
        let trailingBreaks = max((hasContent ? 1 : 0) + trailingEmpty - (endsWithBreak ? 0 : 1), 0)
        switch chomping {
        case .strip: break
        case .clip: if hasContent && trailingBreaks > 0 { output.append(Byte.newline) }
        case .keep: output += [UInt8](repeating: Byte.newline, count: trailingBreaks)
        }
        let style: YAMLScalarStyle = isLiteral ? .literal : .folded
        return YAMLNode(.scalar(String(decoding: output, as: UTF8.self), style), at: start)
    }

    /// The indentation of the first non-empty line, at least `minimum`.
    private func detectIndent(minimum: Int) -> Int {
        var index = pos
        var spaces = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Byte.space {
                spaces += 1
            } else if byte == Byte.newline || byte == Byte.carriageReturn {
                spaces = 0
            } else {
                break
            }
            index += 1
        }
        return max(spaces, minimum, 1)
    }

    private func literal(_ lines: [BlockLine?]) -> [UInt8] {
        var output: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if index > 0 { output.append(Byte.newline) }
            if let line { output += line.text }
        }
        return output
    }

    /// Joins lines with a space, keeps a break per empty line and around more-indented lines.
    private func folded(_ lines: [BlockLine?]) -> [UInt8] {
        var output: [UInt8] = []
        var pendingBreaks = 0
        var previous: BlockLine?
        for line in lines {
            guard let line else {
                pendingBreaks += 1
                continue
            }
            if let previous {
                if !previous.isMoreIndented && !line.isMoreIndented {
                    if pendingBreaks == 0 {
                        output.append(Byte.space)
                    } else {
                        output += [UInt8](repeating: Byte.newline, count: pendingBreaks)
                    }
                } else {
                    output += [UInt8](repeating: Byte.newline, count: pendingBreaks + 1)
                }
            } else {
                output += [UInt8](repeating: Byte.newline, count: pendingBreaks)
            }
            output += line.text
            pendingBreaks = 0
            previous = line
        }
        return output
    }
}
