import KlaxonRuntime

// MARK: - Numbers, durations and strings

extension Lexer {
    /// Duration units in the order Prometheus requires them, with their size in milliseconds.
    private static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// The longest duration Prometheus reads: 2^63 - 1 nanoseconds, in whole milliseconds.
    static let maxDurationMilliseconds: Int64 = 9_223_372_036_854

    /// A number or duration; what Klaxon cannot read is reported in the words of Prometheus's lexer.
    mutating func scanNumberOrDuration() throws(PromQLError) -> Token.Kind {
        let start = index
        do {
            return try scanNumberOrDurationBody()
        } catch {
            index = start
            let number = prometheusScanNumber(start)
            let duration = prometheusRemainingDuration(number.end)
            if !number.endsThere && duration.accepted {
                // Prometheus lexes a duration here and its parser refuses the value where it is used.
                index = duration.end
                let tooLong = error.message.hasPrefix("duration is too long")
                return .duration(tooLong ? Lexer.durationOutOfRange : Lexer.invalidDuration)
            }
            throw self.error(prometheusNumberMessage(from: start, afterBracket: false), at: start)
        }
    }

    /// The value of a duration token Prometheus's lexer reads but its `ParseDuration` refuses (`1.5m`, `5s1m`).
    static let invalidDuration: Int64 = -1
    /// The value of a well-formed duration token longer than Prometheus's int64 nanoseconds.
    static let durationOutOfRange: Int64 = -2

    private mutating func scanNumberOrDurationBody() throws(PromQLError) -> Token.Kind {
        let start = index
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            index += 2
            var value: Double = 0
            var digits = 0
            while let byte = peek(), let digit = GoEscape.hexDigitValue(byte) {
                value = value * 16 + Double(digit)
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw error("hexadecimal number has no digits", at: start) }
            try checkNumberEnd(start)
            return .number(value)
        }
        if let duration = try scanDuration() { return .duration(duration) }
        while let byte = peek(), Lexer.isDigit(byte) { index += 1 }
        if peek() == UInt8(ascii: ".") {
            index += 1
            while let byte = peek(), Lexer.isDigit(byte) { index += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var ahead = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { ahead = 2 }
            if let digit = peek(ahead), Lexer.isDigit(digit) {
                index += ahead
                while let byte = peek(), Lexer.isDigit(byte) { index += 1 }
            }
        }
        let lexeme = String(decoding: text[start..<index], as: UTF8.self)
        guard lexeme != ".", let value = Double(lexeme) else {
            throw error("bad number \"\(lexeme)\"", at: start)
        }
        try checkNumberEnd(start)
        return .number(value)
    }

    private func checkNumberEnd(_ start: Int) throws(PromQLError) {
        // A colon may follow a duration in `[5m:1m]`; the parser then refuses the subquery by name.
        if let byte = peek(), byte != UInt8(ascii: ":"), Lexer.isIdentifierPart(byte) || byte == UInt8(ascii: ".") {
            var end = index
            while end < text.count, Lexer.isIdentifierPart(text[end]) || text[end] == UInt8(ascii: ".") { end += 1 }
            throw error("bad number or duration \"\(String(decoding: text[start..<end], as: UTF8.self))\"", at: start)
        }
    }

    /// Reads `1h30m`-style text when the digits are followed by a unit; nil leaves the position unchanged.
    private mutating func scanDuration() throws(PromQLError) -> Int64? {
        let start = index
        var cursor = index
        var total: Int64 = 0
        var nextUnit = 0
        var parts = 0
        while cursor < text.count, Lexer.isDigit(text[cursor]) {
            var amount: Int64 = 0
            var overflow = false
            while cursor < text.count, Lexer.isDigit(text[cursor]) {
                let (times, o1) = amount.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(text[cursor] - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                amount = plus
                cursor += 1
            }
            guard let unitIndex = Lexer.unitAt(text, cursor), unitIndex >= nextUnit else {
                if parts == 0 { return nil }
                throw error(
                    "bad duration \"\(String(decoding: text[start..<cursor], as: UTF8.self))\"; units must go from y, w, d, h, m, s to ms, each once",
                    at: start)
            }
            let (unit, size) = Lexer.units[unitIndex]
            let (product, o3) = amount.multipliedReportingOverflow(by: size)
            let (sum, o4) = total.addingReportingOverflow(product)
            if overflow || o3 || o4 { throw error("duration is too long", at: start) }
            total = sum
            cursor += unit.utf8.count
            nextUnit = unitIndex + 1
            parts += 1
        }
        if parts == 0 { return nil }
        // Prometheus keeps durations as int64 nanoseconds; longer ones are out of range there.
        guard total <= Lexer.maxDurationMilliseconds else {
            throw error("duration is too long; at most 106751d23h47m16s854ms (about 292 years)", at: start)
        }
        index = cursor
        try checkNumberEnd(start)
        return total
    }

    private static func unitAt(_ text: [UInt8], _ at: Int) -> Int? {
        guard at < text.count else { return nil }
        let next: UInt8? = at + 1 < text.count ? text[at + 1] : nil
        switch text[at] {
        case UInt8(ascii: "y"): return 0
        case UInt8(ascii: "w"): return 1
        case UInt8(ascii: "d"): return 2
        case UInt8(ascii: "h"): return 3
        case UInt8(ascii: "m"): return next == UInt8(ascii: "s") ? 6 : 4
        case UInt8(ascii: "s"): return 5
        default: return nil
        }
    }

    /// Reads a quoted string with Go's escapes; backquoted strings are raw. Errors are Prometheus's, at the
    /// string's first character.
    mutating func scanString() throws(PromQLError) -> String {
        let start = index
        let quote = text[index]
        index += 1
        var bytes: [UInt8] = []
        let raw = quote == UInt8(ascii: "`")
        while true {
            guard let byte = peek() else {
                throw error(raw ? "unterminated raw string" : "unterminated quoted string", at: start)
            }
            index += 1
            if byte == quote { break }
            if raw {
                bytes.append(byte)
                continue
            }
            if byte == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            if byte != UInt8(ascii: "\\") {
                bytes.append(byte)
                continue
            }
            switch GoEscape.decode(text, at: index, quote: quote, into: &bytes) {
            case .success(let next):
                index = next
            case .failure:
                throw error(Lexer.escapeMessage(text, afterBackslash: index, quote: quote), at: start)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Prometheus's `lexEscape` message for the escape after a backslash.
    private static func escapeMessage(_ text: [UInt8], afterBackslash: Int, quote: UInt8) -> String {
        var cursor = afterBackslash
        func next() -> Int? {
            guard cursor < text.count else { return nil }
            defer { cursor += 1 }
            return Int(text[cursor])
        }
        guard let first = next() else { return "escape sequence not terminated" }
        var digit: Int? = first
        let count: Int
        let base: Int
        let maximum: Int
        switch UInt8(truncatingIfNeeded: first) {
        case UInt8(ascii: "0")...UInt8(ascii: "7"): (count, base, maximum) = (3, 8, 255)
        case UInt8(ascii: "x"): (count, base, maximum, digit) = (2, 16, 255, next())
        case UInt8(ascii: "u"): (count, base, maximum, digit) = (4, 16, 0x10FFFF, next())
        case UInt8(ascii: "U"): (count, base, maximum, digit) = (8, 16, 0x10FFFF, next())
        default: return "unknown escape sequence \(goUnicode(text, at: afterBackslash))"
        }
        var value = 0
        for step in 0..<count {
            guard let code = digit else { return "escape sequence not terminated" }
            let place = Int(GoEscape.hexDigitValue(UInt8(truncatingIfNeeded: code)) ?? 16)
            if place >= base { return "illegal character \(goUnicode(text, at: cursor - 1)) in escape sequence" }
            value = value * base + place
            if step < count - 1 { digit = next() }
        }
        if value > maximum || (0xD800..<0xE000).contains(value) {
            return "escape sequence is an invalid Unicode code point"
        }
        return "unknown escape sequence \(goUnicode(text, at: afterBackslash))"
    }

    // MARK: - Prometheus's number and duration scanning, for its error messages

    /// Prometheus's `scanNumber` from `start`: where it stops, and whether what follows ends the number.
    private func prometheusScanNumber(_ start: Int) -> (end: Int, endsThere: Bool) {
        var cursor = start
        func at(_ i: Int) -> UInt8? { i < text.count ? text[i] : nil }
        var hex = false
        if at(cursor) == UInt8(ascii: "0"), let x = at(cursor + 1), x | 0x20 == UInt8(ascii: "x") {
            cursor += 2
            hex = true
        }
        func isDigit(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return hex ? GoEscape.hexDigitValue(byte) != nil : Lexer.isDigit(byte)
        }
        while isDigit(at(cursor)) { cursor += 1 }
        if at(cursor) == UInt8(ascii: ".") {
            cursor += 1
            while isDigit(at(cursor)) { cursor += 1 }
        }
        if let e = at(cursor), e | 0x20 == UInt8(ascii: "e") {
            cursor += 1
            if at(cursor) == UInt8(ascii: "+") || at(cursor) == UInt8(ascii: "-") { cursor += 1 }
            while let byte = at(cursor), Lexer.isDigit(byte) { cursor += 1 }
        }
        return (cursor, !Lexer.isAlphaNumeric(at(cursor)))
    }

    /// Prometheus's `acceptRemainingDuration` from `start`: where it stops, and whether it read a duration
    /// (then `end` is the duration's end).
    private func prometheusRemainingDuration(_ start: Int) -> (end: Int, accepted: Bool) {
        var cursor = start
        func accept(_ set: String) -> Bool {
            guard cursor < text.count, set.utf8.contains(text[cursor]) else { return false }
            cursor += 1
            return true
        }
        guard accept("smhdwy") else { return (cursor, false) }
        _ = accept("s")
        while accept("0123456789") {
            while accept("0123456789") {}
            guard accept("smhdw") else { return (cursor, false) }
            _ = accept("s")
        }
        if cursor < text.count && Lexer.isAlphaNumeric(text[cursor]) { return (cursor + 1, false) }
        return (cursor, true)
    }

    /// What Prometheus says of the number or duration at `start` that Klaxon could not read; after `[` its
    /// lexer expects a duration.
    func prometheusNumberMessage(from start: Int, afterBracket: Bool) -> String {
        let number = prometheusScanNumber(start)
        if number.endsThere {
            if afterBracket { return "missing unit character in duration" }
            return "bad number or duration syntax: \(Lexer.goQuote(text[start..<number.end]))"
        }
        let duration = prometheusRemainingDuration(number.end)
        guard duration.accepted else {
            let what = afterBracket ? "bad duration syntax" : "bad number or duration syntax"
            return "\(what): \(Lexer.goQuote(text[start..<duration.end]))"
        }
        return "not a valid duration string: \(Lexer.goQuote(text[start..<duration.end]))"
    }

    /// Prometheus lexes what follows `[` as a duration and stops at once when it is not one.
    mutating func checkRangeDuration() throws(PromQLError) {
        var start = index
        while start < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[start]) { start += 1 }
        let number = prometheusScanNumber(start)
        if number.endsThere || !prometheusRemainingDuration(number.end).accepted {
            index = start
            throw error(prometheusNumberMessage(from: start, afterBracket: true), at: start)
        }
    }

    /// Prometheus's `isAlphaNumeric`: ASCII letters, digits and `_`.
    static func isAlphaNumeric(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte == UInt8(ascii: "_") || isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Go's `%q` of a string of printable ASCII.
    static func goQuote(_ bytes: ArraySlice<UInt8>) -> String {
        var out = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + String(byte, radix: 16).leftPadded(to: 2)
            }
        }
        return out + "\""
    }

    /// The character at `offset` (or end of input), decoded as UTF-8.
    private static func scalar(_ text: [UInt8], at offset: Int) -> Unicode.Scalar? {
        guard offset < text.count else { return nil }
        let end = min(text.count, offset + 4)
        return String(decoding: text[offset..<end], as: UTF8.self).unicodeScalars.first
    }

    /// Go's `%q` of a rune: `'x'`, with Go's escapes for quotes and control characters.
    static func quoteRune(in text: [UInt8], at offset: Int) -> String {
        guard let scalar = scalar(text, at: offset) else { return "'\u{FFFD}'" }
        switch scalar {
        case "'": return "'\\''"
        case "\\": return "'\\\\'"
        case "\n": return "'\\n'"
        case "\t": return "'\\t'"
        case "\r": return "'\\r'"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                return "'\\x" + String(scalar.value, radix: 16).leftPadded(to: 2) + "'"
            }
            return "'\(Character(scalar))'"
        }
    }

    /// Go's `%#U` of a rune: `U+0071 'q'`, without the quoted character when it is not printable.
    static func goUnicode(_ text: [UInt8], at offset: Int) -> String {
        guard let scalar = scalar(text, at: offset) else { return "U+FFFFFFFFFFFFFFFF" }
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        if scalar.value < 0x20 || scalar.value == 0x7F { return code }
        return code + " '\(Character(scalar))'"
    }
}

extension String {
    /// Zeros on the left up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Lexer {
    /// The source text of a number, duration or string token, as Prometheus keeps it in an item's `Val`.
    static func lexeme(of token: Token, in text: [UInt8]) -> String {
        let start = token.offset
        var end = start
        switch token.kind {
        case .number, .duration:
            let lexer = Lexer(text)
            let number = lexer.prometheusScanNumber(start)
            end = number.end
            if !number.endsThere {
                let duration = lexer.prometheusRemainingDuration(number.end)
                end = duration.accepted ? duration.end : number.end
            }
        case .string:
            guard start < text.count else { return "" }
            let quote = text[start]
            end = start + 1
            while end < text.count && text[end] != quote {
                if text[end] == UInt8(ascii: "\\") && quote != UInt8(ascii: "`") { end += 1 }
                end += 1
            }
            end = min(end + 1, text.count)
        case .identifier(let name):
            return name
        default:
            return ""
        }
        return String(decoding: text[start..<min(end, text.count)], as: UTF8.self)
    }
}
