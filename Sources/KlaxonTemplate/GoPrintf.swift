import KlaxonRuntime

/// Go's `fmt.Sprintf` for the values a template can hold, including Go's in-band error notes
/// (`%!d(float64=1.5)`, `%!s(MISSING)`, `%!(EXTRA …)`, `%!(BADWIDTH)`) so output matches Prometheus exactly.
///
/// Supported verbs: `%v %s %q %d %b %o %x %X %c %U %e %E %f %F %g %G %t %%`, flags `+ - # 0 space`,
/// width and precision (also `*`). Not supported: argument indexes `%[n]d` (printed as a bad verb).
///
/// Like Go's fmt it never fails: a `*` width or precision that is not an int or whose magnitude
/// exceeds 10^6 prints `%!(BADWIDTH)`/`%!(BADPREC)`, and a written width or precision too long to
/// read ends the format with `%!(NOVERB)`. Padding never grows past `Template.maxOutput` + 1 bytes
/// (the caller then refuses the result), so no width costs more memory than that.
enum GoPrintf {
    /// Go's `tooLarge`: widths and precisions from `*` arguments must lie within ±10^6.
    static let maxWidth = 1_000_000

    struct Spec {
        var plus = false
        var minus = false
        var sharp = false
        var zero = false
        var space = false
        var width: Int?
        var precision: Int?
        var verb: Unicode.Scalar = "v"
    }

    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var out = ""
        var argumentIndex = 0
        let scalars = Array(format.unicodeScalars)
        let end = scalars.count
        var index = 0
        while index < end {
            let scalar = scalars[index]
            index += 1
            guard scalar == "%" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            var spec = Spec()
            flags: while index < end {
                switch scalars[index] {
                case "+": spec.plus = true
                case "-":
                    spec.minus = true
                    spec.zero = false
                case "#": spec.sharp = true
                // Go only pads with zeros on the left.
                case "0": spec.zero = !spec.minus
                case " ": spec.space = true
                default: break flags
                }
                index += 1
            }
            if index < end, scalars[index] == "*" {
                index += 1
                let (width, consumed) = starArgument(arguments, argumentIndex)
                argumentIndex += consumed
                if let width {
                    spec.width = Int(width.magnitude)
                    if width < 0 {
                        spec.minus = true
                        spec.zero = false
                    }
                } else {
                    out += "%!(BADWIDTH)"
                }
            } else {
                spec.width = number(scalars, &index)
            }
            // Go reads a precision only when something follows the dot.
            if index + 1 < end, scalars[index] == "." {
                index += 1
                if scalars[index] == "*" {
                    index += 1
                    let (precision, consumed) = starArgument(arguments, argumentIndex)
                    argumentIndex += consumed
                    if let precision, precision >= 0 {
                        spec.precision = precision
                    } else {
                        out += "%!(BADPREC)"
                    }
                } else {
                    spec.precision = number(scalars, &index) ?? 0
                }
            }
            guard index < end else {
                out += "%!(NOVERB)"
                break
            }
            spec.verb = scalars[index]
            index += 1
            if spec.verb == "%" {
                out += "%"
                continue
            }
            guard argumentIndex < arguments.count else {
                out += "%!\(spec.verb)(MISSING)"
                continue
            }
            out += formatOne(arguments[argumentIndex], spec)
            argumentIndex += 1
            // Stop early once past the template output bound; the caller refuses the result.
            if out.utf8.count > Template.maxOutput { return out }
        }
        if argumentIndex < arguments.count {
            let extra = arguments[argumentIndex...].map { "\($0.goType)=\($0.printed)" }.joined(separator: ", ")
            out += "%!(EXTRA \(extra))"
        }
        return out
    }

    /// Go's `intFromArg` for a `*`: the argument when it is an int within ±`maxWidth`, else nil.
    /// Consumes the argument when there is one, whatever its type.
    private static func starArgument(_ arguments: [TemplateValue], _ index: Int) -> (value: Int?, consumed: Int) {
        guard index < arguments.count else { return (nil, 0) }
        guard case .int(let value) = arguments[index], value >= -Int64(maxWidth), value <= Int64(maxWidth) else {
            return (nil, 1)
        }
        return (Int(value), 1)
    }

    /// Go's `parsenum`: decimal digits, or nil when there are none. A number that grows past
    /// 10^6 before its last digit is Go's overflow: the rest of the format is skipped (`index`
    /// moves to the end, so the verb is missing), and the value is nil.
    private static func number(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        var value: Int?
        while index < scalars.count, let digit = digitValue(scalars[index]) {
            if let current = value, current > maxWidth {
                index = scalars.count
                return nil
            }
            value = (value ?? 0) * 10 + digit
            index += 1
        }
        return value
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.value >= 0x30, scalar.value <= 0x39 else { return nil }
        return Int(scalar.value - 0x30)
    }

    // MARK: - One operand

    static func formatOne(_ value: TemplateValue, _ spec: Spec) -> String {
        switch value {
        case .float(let number): return formatFloat(number, spec)
        case .int(let number): return formatInt(number, spec)
        case .string(let text): return formatString(text, spec, value: value)
        case .bool(let flag):
            guard spec.verb == "t" || spec.verb == "v" else { return bad(spec, value) }
            return pad(flag ? "true" : "false", spec, numeric: false)
        case .map, .record, .list, .noValue:
            guard spec.verb == "v" || spec.verb == "s" else { return bad(spec, value) }
            return pad(value.printed, spec, numeric: false)
        }
    }

    /// Go reports a verb that does not fit the operand in-band, printing the operand with `%v`
    /// and the same flags (so `%.2f` of a string shows its first two characters).
    private static func bad(_ spec: Spec, _ value: TemplateValue) -> String {
        var plain = spec
        plain.verb = "v"
        return "%!\(spec.verb)(\(value.goType)=\(formatOne(value, plain)))"
    }

    private static func formatFloat(_ number: Double, _ spec: Spec) -> String {
        var body: String
        switch spec.verb {
        case "v", "g":
            body = spec.precision.map { GoFloatFormat.general(number, precision: $0) } ?? GoFloatFormat.shortest(number)
        case "G":
            body =
                spec.precision.map { GoFloatFormat.general(number, precision: $0, upper: true) }
                ?? GoFloatFormat.shortest(number)
            if number.isFinite { body = body.uppercased() }
        // Past the output bound the text is refused anyway; the cap keeps C from writing megabytes.
        case "e", "E":
            body = GoFloatFormat.exponent(
                number, precision: min(spec.precision ?? 6, Template.maxOutput + 1), upper: spec.verb == "E")
        case "f", "F": body = GoFloatFormat.fixed(number, precision: min(spec.precision ?? 6, Template.maxOutput + 1))
        case "x", "X": body = GoFloatFormat.hex(number, upper: spec.verb == "X")
        default: return bad(spec, .float(number))
        }
        // Go never pads infinities and NaN with zeros.
        var unpadded = spec
        unpadded.zero = false
        if number.isNaN {
            body = spec.plus ? "+NaN" : spec.space ? " NaN" : "NaN"
            return pad(body, unpadded, numeric: false)
        }
        if !body.hasPrefix("-") && !body.hasPrefix("+") {
            if spec.plus { body = "+" + body } else if spec.space { body = " " + body }
        } else if body.hasPrefix("+") && !spec.plus && !number.isInfinite {
            body.removeFirst()
        }
        return pad(body, number.isInfinite ? unpadded : spec, numeric: true)
    }

    private static func formatInt(_ number: Int64, _ spec: Spec) -> String {
        let magnitude = number.magnitude
        let digits: String
        switch spec.verb {
        case "d", "v": digits = String(magnitude)
        case "b": digits = String(magnitude, radix: 2)
        case "o": digits = String(magnitude, radix: 8)
        case "x", "X": digits = String(magnitude, radix: 16, uppercase: spec.verb == "X")
        case "c":
            return pad(String(rune(number)), spec, numeric: false)
        case "q":
            return pad(GoQuote.quote(String(rune(number)), delimiter: "'"), spec, numeric: false)
        case "U":
            return unicode(number, spec)
        default:
            return bad(spec, .int(number))
        }
        let negative = number < 0
        // Go's fmtInteger: a precision, or else a zero-padded width, is a minimum digit count;
        // the sign and prefix come after, and padding to the width is always with spaces.
        var minimum = 0
        if let precision = spec.precision {
            if precision == 0 && number == 0 {
                var blank = spec
                blank.zero = false
                return pad("", blank, numeric: false)
            }
            minimum = precision
        } else if spec.zero, let width = spec.width {
            minimum = negative || spec.plus || spec.space ? width - 1 : width
        }
        var body = repeated("0", minimum - digits.utf8.count) + digits
        if spec.sharp {
            switch spec.verb {
            case "b": body = "0b" + body
            case "o": if !body.hasPrefix("0") { body = "0" + body }
            case "x": body = "0x" + body
            case "X": body = "0X" + body
            default: break
            }
        }
        let sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : ""
        var spaces = spec
        spaces.zero = false
        return pad(sign + body, spaces, numeric: true)
    }

    /// Go's `fmtC`: a code point above U+10FFFF, negative, or a surrogate prints as U+FFFD.
    private static func rune(_ number: Int64) -> Character {
        guard number >= 0, number <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(number)) else { return "\u{FFFD}" }
        return Character(scalar)
    }

    /// Go's `fmtUnicode`: `U+` and at least four (or the precision's) upper-case hex digits of the
    /// value as an unsigned 64-bit number; `#` adds the quoted character when it is printable.
    private static func unicode(_ number: Int64, _ spec: Spec) -> String {
        let value = UInt64(bitPattern: number)
        let hex = String(value, radix: 16, uppercase: true)
        var text = "U+" + repeated("0", max(4, spec.precision ?? 0) - hex.utf8.count) + hex
        if spec.sharp, value <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(value)), GoQuote.isPrintable(scalar) {
            text += " '" + String(Character(scalar)) + "'"
        }
        var spaces = spec
        spaces.zero = false
        return pad(text, spaces, numeric: false)
    }

    private static func formatString(_ text: String, _ spec: Spec, value: TemplateValue) -> String {
        var text = text
        switch spec.verb {
        case "s", "v":
            if let precision = spec.precision { text = String(text.unicodeScalars.prefix(precision)) }
            if spec.verb == "v" && spec.sharp { text = GoQuote.quote(text, delimiter: "\"") }
        case "q":
            if let precision = spec.precision { text = String(text.unicodeScalars.prefix(precision)) }
            text = spec.sharp && !text.contains("`") ? "`" + text + "`" : GoQuote.quote(text, delimiter: "\"")
        case "x", "X":
            let bytes = Array(text.utf8.prefix(spec.precision ?? Int.max))
            text = bytes.map { byte in
                let hex = String(byte, radix: 16, uppercase: spec.verb == "X")
                return (hex.count == 1 ? "0" : "") + hex
            }.joined()
        default:
            return bad(spec, value)
        }
        return pad(text, spec, numeric: false)
    }

    /// Pads to the width; zero padding goes after the sign for numbers, before everything otherwise.
    static func pad(_ text: String, _ spec: Spec, numeric: Bool) -> String {
        guard let width = spec.width else { return text }
        let length = text.unicodeScalars.count
        guard length < width else { return text }
        let fill = width - length
        if spec.minus { return text + repeated(" ", fill) }
        guard spec.zero else { return repeated(" ", fill) + text }
        if numeric, let first = text.first, first == "-" || first == "+" || first == " " {
            return String(first) + repeated("0", fill) + text.dropFirst()
        }
        return repeated("0", fill) + text
    }

    /// `count` copies of `character` (none when negative), but never more than the template
    /// output bound + 1: a longer result is refused by the caller anyway, and Go's widths and
    /// precisions (up to about 10^7 when written out) must not cost more memory than that.
    static func repeated(_ character: Character, _ count: Int) -> String {
        String(repeating: character, count: min(max(0, count), Template.maxOutput + 1))
    }
}
