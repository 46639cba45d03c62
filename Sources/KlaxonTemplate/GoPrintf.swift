/// Go's `fmt.Sprintf` for the values a template can hold, including Go's in-band error notes
/// (`%!d(float64=1.5)`, `%!s(MISSING)`, `%!(EXTRA …)`) so output matches Prometheus exactly.
///
/// Supported verbs: `%v %s %q %d %b %o %x %X %c %U %e %E %f %F %g %G %t %%`, flags `+ - # 0 space`,
/// width and precision (also `*`). Not supported: argument indexes `%[n]d` (printed as a bad verb).
/// Width and precision above `maxWidth` are refused in-band so one template cannot allocate gigabytes.
enum GoPrintf {
    static let maxWidth = 10_000

    struct Spec {
        var plus = false
        var minus = false
        var sharp = false
        var zero = false
        var space = false
        var width: Int?
        var precision: Int?
        var verb: Character = "v"
    }

    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var out = ""
        var argumentIndex = 0
        let characters = Array(format)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == "%" else {
                out.append(character)
                continue
            }
            var spec = Spec()
            flags: while index < characters.count {
                switch characters[index] {
                case "+": spec.plus = true
                case "-": spec.minus = true
                case "#": spec.sharp = true
                case "0": spec.zero = true
                case " ": spec.space = true
                default: break flags
                }
                index += 1
            }
            var badWidth = false
            var badPrecision = false
            if index < characters.count, characters[index] == "*" {
                index += 1
                if argumentIndex < arguments.count, case .int(let width) = arguments[argumentIndex],
                    abs(width) <= maxWidth
                {
                    spec.width = Int(abs(width))
                    if width < 0 { spec.minus = true }
                } else {
                    badWidth = true
                }
                argumentIndex += 1
            } else {
                spec.width = number(characters, &index)
                if let width = spec.width, width > maxWidth {
                    spec.width = nil
                    badWidth = true
                }
            }
            if index < characters.count, characters[index] == "." {
                index += 1
                if index < characters.count, characters[index] == "*" {
                    index += 1
                    if argumentIndex < arguments.count, case .int(let precision) = arguments[argumentIndex],
                        precision >= 0, precision <= maxWidth
                    {
                        spec.precision = Int(precision)
                    } else {
                        badPrecision = true
                    }
                    argumentIndex += 1
                } else {
                    spec.precision = number(characters, &index) ?? 0
                    if let precision = spec.precision, precision > maxWidth {
                        spec.precision = nil
                        badPrecision = true
                    }
                }
            }
            if badWidth { out += "%!(BADWIDTH)" }
            if badPrecision { out += "%!(BADPREC)" }
            guard index < characters.count else {
                out += "%!(NOVERB)"
                break
            }
            spec.verb = characters[index]
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

    private static func number(_ characters: [Character], _ index: inout Int) -> Int? {
        var value: Int?
        while index < characters.count, let digit = characters[index].wholeNumberValue, characters[index].isASCII {
            value = min((value ?? 0) * 10 + digit, maxWidth + 1)
            index += 1
        }
        return value
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
        case .map, .record, .noValue:
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
        case "e", "E": body = GoFloatFormat.exponent(number, precision: spec.precision ?? 6, upper: spec.verb == "E")
        case "f", "F": body = GoFloatFormat.fixed(number, precision: spec.precision ?? 6)
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
        var digits: String
        var prefix = ""
        switch spec.verb {
        case "d", "v": digits = String(magnitude)
        case "b": digits = String(magnitude, radix: 2)
        case "o":
            digits = String(magnitude, radix: 8)
            if spec.sharp { prefix = "0" }
        case "x", "X":
            digits = String(magnitude, radix: 16, uppercase: spec.verb == "X")
            if spec.sharp { prefix = spec.verb == "X" ? "0X" : "0x" }
        case "c":
            return pad(
                Unicode.Scalar(UInt32(truncatingIfNeeded: number)).map { String(Character($0)) } ?? "\u{FFFD}", spec,
                numeric: false)
        case "q":
            let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: number)) ?? "\u{FFFD}"
            return pad(GoQuote.quote(String(Character(scalar)), delimiter: "'"), spec, numeric: false)
        case "U":
            let hex = String(magnitude, radix: 16, uppercase: true)
            return pad("U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex, spec, numeric: false)
        case "e", "E", "f", "F", "g", "G", "s", "t":
            return bad(spec, .int(number))
        default:
            return bad(spec, .int(number))
        }
        if let precision = spec.precision {
            if precision == 0 && number == 0 { digits = "" }
            if digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
        }
        let sign = number < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : ""
        var inner = spec
        if spec.precision != nil { inner.zero = false }
        return pad(sign + prefix + digits, inner, numeric: true)
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
        if spec.minus { return text + String(repeating: " ", count: fill) }
        guard spec.zero else { return String(repeating: " ", count: fill) + text }
        if numeric, let first = text.first, first == "-" || first == "+" || first == " " {
            return String(first) + String(repeating: "0", count: fill) + text.dropFirst()
        }
        return String(repeating: "0", count: fill) + text
    }
}
