/// Go's escape sequences in interpreted string and rune literals: `\a \b \f \n \r \t \v \\`, the
/// closing quote, `\x` with 2 hex digits, `\u` with 4, `\U` with 8 and `\` with 3 octal digits.
///
/// PromQL strings and template constants both use them, so it sits below both modules, here. Each
/// lexer words and places its own errors, so decoding reports what went wrong and leaves the
/// message to the caller.
package enum GoEscape {
    /// Why an escape sequence does not decode.
    package enum Failure: Error, Equatable {
        /// The text ends after the backslash.
        case unterminated
        /// The byte after the backslash starts no escape (it is carried).
        case unknown(UInt8)
        /// `\x`, `\u`, `\U` or an octal escape without enough digits of its radix.
        case missingDigits(code: UInt8, needed: Int)
        /// An octal escape above `\377`.
        case octalAboveByte
        /// `\u` or `\U` naming no Unicode scalar (a surrogate, or above U+10FFFF).
        case notAScalar
    }

    /// Decodes the escape whose code byte (the one after `\`) is `text[index]`, appends its bytes to
    /// `out` and returns the index just past it. `quote` is the literal's quote, which escapes itself.
    package static func decode(
        _ text: [UInt8], at index: Int, quote: UInt8, into out: inout [UInt8]
    ) -> Result<Int, Failure> {
        guard index < text.count else { return .failure(.unterminated) }
        let code = text[index]
        switch code {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"), quote: out.append(code)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let needed = code == UInt8(ascii: "x") ? 2 : code == UInt8(ascii: "u") ? 4 : 8
            guard let value = number(text, from: index + 1, digits: needed, radix: 16) else {
                return .failure(.missingDigits(code: code, needed: needed))
            }
            if code == UInt8(ascii: "x") {
                out.append(UInt8(value))
            } else {
                guard let scalar = Unicode.Scalar(value) else { return .failure(.notAScalar) }
                out.append(contentsOf: Array(String(scalar).utf8))
            }
            return .success(index + 1 + needed)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard let value = number(text, from: index, digits: 3, radix: 8) else {
                return .failure(.missingDigits(code: code, needed: 3))
            }
            guard value <= 255 else { return .failure(.octalAboveByte) }
            out.append(UInt8(value))
            return .success(index + 3)
        default:
            return .failure(.unknown(code))
        }
        return .success(index + 1)
    }

    /// The value of `digits` digits of `radix` (8 or 16) starting at `from`; nil when one is missing.
    private static func number(_ text: [UInt8], from: Int, digits: Int, radix: UInt32) -> UInt32? {
        guard from + digits <= text.count else { return nil }
        var value: UInt32 = 0
        for byte in text[from..<from + digits] {
            guard let digit = hexDigitValue(byte), digit < radix else { return nil }
            value = value * radix + digit
        }
        return value
    }

    /// The value of a hexadecimal digit (either case), nil for any other byte.
    package static func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
