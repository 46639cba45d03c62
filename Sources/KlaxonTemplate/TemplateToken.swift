/// One lexical item of a template: text outside actions, or a piece of an action.
struct TemplateToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case text(String)
        case leftDelim
        case rightDelim
        /// A bare word: a function name or a keyword (`if`, `else`, `end`, `with`, `range`, …).
        case identifier(String)
        /// `$` or `$name`.
        case variable(String)
        /// `.Name`, one link of a field chain.
        case field(String)
        case dot
        case string(String)
        /// A number or character constant, kept as written; the parser gives it a type.
        case number(String)
        case char(UInt32)
        case pipe
        case leftParen
        case rightParen
        case declare
        case assign
        case comma
        case eof
    }

    var kind: Kind
    var position: TemplatePosition
    /// True when no blank separates this token from the one before (`$labels.job`, `(…).Field`).
    var glued = false
}

extension TemplateToken.Kind {
    /// How the token reads in an error message.
    var display: String {
        switch self {
        case .text: "text"
        case .leftDelim: "\"{{\""
        case .rightDelim: "\"}}\""
        case .identifier(let name): "\"\(name)\""
        case .variable(let name): "variable \"\(name)\""
        case .field(let name): "field \".\(name)\""
        case .dot: "\".\""
        case .string: "string constant"
        case .number(let text): "number \(text)"
        case .char: "character constant"
        case .pipe: "\"|\""
        case .leftParen: "\"(\""
        case .rightParen: "\")\""
        case .declare: "\":=\""
        case .assign: "\"=\""
        case .comma: "\",\""
        case .eof: "end of template"
        }
    }
}
