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

    mutating func scanNumberOrDuration() throws(PromQLError) -> Token.Kind {
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

    /// Reads a quoted string with Go's escapes; backquoted strings are raw.
    mutating func scanString() throws(PromQLError) -> String {
        let start = index
        let quote = text[index]
        index += 1
        var bytes: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated quoted string", at: start) }
            index += 1
            if byte == quote { break }
            if quote == UInt8(ascii: "`") {
                bytes.append(byte)
                continue
            }
            if byte == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            if byte != UInt8(ascii: "\\") {
                bytes.append(byte)
                continue
            }
            try scanEscape(quote: quote, into: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes the escape after the backslash just read; errors point at the backslash.
    private mutating func scanEscape(quote: UInt8, into bytes: inout [UInt8]) throws(PromQLError) {
        let escapeStart = index - 1
        switch GoEscape.decode(text, at: index, quote: quote, into: &bytes) {
        case .success(let next):
            index = next
        case .failure(let failure):
            throw error(Self.message(for: failure), at: escapeStart)
        }
    }

    private static func message(for failure: GoEscape.Failure) -> String {
        switch failure {
        case .unterminated:
            "unterminated escape sequence"
        case .unknown(let code):
            "unknown escape sequence \"\\\(Character(Unicode.Scalar(code)))\""
        case .missingDigits(_, needed: 3):
            "bad octal escape; it needs 3 digits"
        case .missingDigits(let code, let needed):
            "bad escape sequence; \\\(Character(Unicode.Scalar(code))) needs \(needed) hex digits"
        case .octalAboveByte:
            "octal escape is above \\377"
        case .notAScalar:
            "escape is not a Unicode code point"
        }
    }
}
