import Foundation

// MARK: - Operands

extension TemplateParser {
    /// The next operand of a command, or nil when the command ends here.
    mutating func parseOperand() throws(TemplateError) -> TemplateOperand? {
        let token = peek()
        switch token.kind {
        case .identifier(let word):
            skip()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "nil": return .nilValue
            case "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue":
                throw error("unexpected keyword \"\(word)\" in operand", at: token.position)
            default:
                guard TemplateFunctions.isKnown(word) else {
                    throw error(
                        "function \"\(word)\" not defined; supported: "
                            + TemplateFunctions.supported.joined(separator: ", "),
                        at: token.position)
                }
                return .function(word, token.position)
            }
        case .variable(let variable):
            skip()
            guard isDeclared(variable) else { throw error("undefined variable \"\(variable)\"", at: token.position) }
            return .variable(variable, gluedFields(), token.position)
        case .field(let first):
            skip()
            return .field([first] + gluedFields(), token.position)
        case .dot:
            skip()
            return .dot
        case .string(let text):
            skip()
            return .string(text)
        case .char(let value):
            skip()
            return .int(Int64(value))
        case .number(let text):
            skip()
            return try number(text, at: token.position)
        case .leftParen:
            skip()
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Self.maxDepth else { throw error("parentheses nested too deeply", at: token.position) }
            let inner = try parsePipeline(allowDeclaration: true)
            let close = next()
            guard case .rightParen = close.kind else {
                throw error("unclosed left paren: expected \")\", found \(close.kind.display)", at: close.position)
            }
            return .nested(inner, gluedFields())
        case .rightDelim, .rightParen, .pipe, .eof:
            return nil
        case .declare, .assign, .comma, .leftDelim, .text:
            throw error("unexpected \(token.kind.display) in operand", at: token.position)
        }
    }

    /// `.a.b` written right after an operand, without blanks.
    private mutating func gluedFields() -> [String] {
        var fields: [String] = []
        while peek().glued, case .field(let name) = peek().kind {
            fields.append(name)
            skip()
        }
        return fields
    }

    /// Types a number constant as Go's templates do: an integer unless it has `.`, `e` or `E`.
    private func number(_ text: String, at position: TemplatePosition) throws(TemplateError) -> TemplateOperand {
        var body = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let lower = body.lowercased()
        var radix = 10
        var digits = Substring(lower)
        if lower.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy(\.isNumber) {
            radix = 8
            digits = digits.dropFirst()
        }
        if radix != 10 || !lower.contains(where: { $0 == "." || $0 == "e" }) {
            guard !digits.isEmpty, let magnitude = UInt64(digits, radix: radix) else {
                throw error("illegal number syntax: \"\(text)\"", at: position)
            }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else {
                    throw error("number \(text) overflows int", at: position)
                }
                return .int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
            }
            guard magnitude <= UInt64(Int64.max) else { throw error("number \(text) overflows int", at: position) }
            return .int(Int64(magnitude))
        }
        guard let value = Double(lower), lower.first != "." || lower.count > 1, !lower.contains("inf"),
            !lower.contains("nan")
        else {
            throw error("illegal number syntax: \"\(text)\"", at: position)
        }
        return .float(negative ? -value : value)
    }
}
