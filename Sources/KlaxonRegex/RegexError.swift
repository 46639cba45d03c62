/// A pattern Go's `regexp/syntax` refuses, in Go's words.
///
/// `description` is Go's `*syntax.Error` text (`error parsing regexp: missing closing ): `(a``), so
/// Klaxon's messages read as Prometheus's; `offset` is where in the pattern (bytes) the problem is.
package struct RegexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Go's error codes (`syntax.ErrorCode`), with Go's text.
    package enum Code: String, Sendable {
        case internalError = "regexp/syntax: internal error"
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case invalidUTF8 = "invalid UTF-8"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
    }

    // One reference wide: this toolchain corrupts typed errors wider than two words when a
    // typed-throws closure is passed where an untyped one is expected (as `#expect(throws:)` does).
    private let details: Details

    private final class Details: Sendable {
        let code: Code
        let expression: String
        let offset: Int

        init(code: Code, expression: String, offset: Int) {
            self.code = code
            self.expression = expression
            self.offset = offset
        }
    }

    /// What is wrong.
    package var code: Code { details.code }
    /// The part of the pattern Go names (sometimes the whole pattern).
    package var expression: String { details.expression }
    /// Byte offset in the pattern where the problem was found.
    package var offset: Int { details.offset }

    /// An error for `code` naming `expression`, found at `offset`.
    package init(_ code: Code, _ expression: some Sequence<UInt8>, at offset: Int) {
        details = Details(
            code: code, expression: String(decoding: Array(expression), as: UTF8.self), offset: offset)
    }

    package static func == (lhs: RegexError, rhs: RegexError) -> Bool {
        lhs.code == rhs.code && lhs.expression == rhs.expression && lhs.offset == rhs.offset
    }

    /// Go's text: ``error parsing regexp: CODE: `EXPR` ``.
    package var description: String {
        "error parsing regexp: \(code.rawValue): `\(expression)`"
    }
}

/// Parse flags, with Go's bits and meanings (`syntax.Flags`).
struct RegexFlags: OptionSet, Hashable, Sendable {
    let rawValue: UInt16
    static let foldCase = RegexFlags(rawValue: 1 << 0)
    static let literal = RegexFlags(rawValue: 1 << 1)
    static let classNL = RegexFlags(rawValue: 1 << 2)
    static let dotNL = RegexFlags(rawValue: 1 << 3)
    static let oneLine = RegexFlags(rawValue: 1 << 4)
    static let nonGreedy = RegexFlags(rawValue: 1 << 5)
    static let perlX = RegexFlags(rawValue: 1 << 6)
    static let unicodeGroups = RegexFlags(rawValue: 1 << 7)
    static let wasDollar = RegexFlags(rawValue: 1 << 8)
    /// `regexp.Compile`'s flags: as close to Perl as Go goes.
    static let perl: RegexFlags = [.classNL, .oneLine, .perlX, .unicodeGroups]
}

/// A Unicode code point as Go holds it (`rune`): signed, so `lo - 1` below 0 is safe.
typealias Rune = Int32

/// Limits, as Go 1.19 sets them.
enum RegexLimits {
    static let maxRune: Rune = 0x10_FFFF
    static let runeError: Rune = 0xFFFD
    /// Deepest parse tree (`maxHeight`).
    static let maxHeight = 1000
    /// Largest compiled size in instructions (`maxSize`: 128 MB of 40-byte instructions).
    static let maxSize: Int64 = (128 << 20) / 40
    /// Most runes in all character classes (`maxRunes`).
    static let maxRunes = (128 << 20) / 4
    /// Largest repeat count.
    static let maxRepeat = 1000
}
