/// Builds the node tree from tokens, checking everything Go checks at parse time (and argument
/// counts, which Go only finds when the template runs) so a bad template fails at rule load.
struct TemplateParser {
    private let tokens: [TemplateToken]
    private let name: String
    private var index = 0
    private var variables: [String]
    private var loopDepth = 0
    private var depth = 0

    /// Deeper nesting than this is refused so a hostile template cannot exhaust the stack.
    static let maxDepth = 64

    init(tokens: [TemplateToken], name: String, predefined: [String]) {
        self.tokens = tokens
        self.name = name
        variables = ["$"] + predefined
    }

    /// Parses the whole template.
    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        let (nodes, terminator) = try parseList()
        if let terminator {
            throw error("unexpected {{\(terminator.word)}}", at: terminator.position)
        }
        return nodes
    }

    // MARK: - Lists and control structures

    private struct Terminator {
        var word: String
        var position: TemplatePosition
    }

    /// Parses nodes until end of input, `{{end}}` or `{{else …`; returns which ended it.
    private mutating func parseList() throws(TemplateError) -> ([TemplateNode], Terminator?) {
        var nodes: [TemplateNode] = []
        while true {
            let token = next()
            switch token.kind {
            case .eof:
                return (nodes, nil)
            case .text(let text):
                nodes.append(.text(text))
            case .leftDelim:
                let keyword = peek()
                if case .identifier(let word) = keyword.kind {
                    switch word {
                    case "end":
                        index += 1
                        try expectRightDelim()
                        return (nodes, Terminator(word: "end", position: keyword.position))
                    case "else":
                        index += 1
                        return (nodes, Terminator(word: "else", position: keyword.position))
                    case "if", "with", "range":
                        index += 1
                        nodes.append(try parseBranch(word, at: keyword.position))
                        continue
                    case "break", "continue":
                        index += 1
                        guard loopDepth > 0 else { throw error("{{\(word)}} outside {{range}}", at: keyword.position) }
                        try expectRightDelim()
                        nodes.append(word == "break" ? .breakLoop(keyword.position) : .continueLoop(keyword.position))
                        continue
                    case "define", "template", "block":
                        throw error("{{\(word)}} is not supported in alert templates", at: keyword.position)
                    default:
                        break
                    }
                }
                let pipeline = try parsePipeline(allowDeclaration: true)
                try expectRightDelim()
                nodes.append(.action(pipeline))
            default:
                throw error("unexpected \(token.kind.display)", at: token.position)
            }
        }
    }

    /// `if`/`with`/`range` up to its `{{end}}`, with `{{else}}` and `{{else if …}}` chains.
    private mutating func parseBranch(_ keyword: String, at position: TemplatePosition) throws(TemplateError)
        -> TemplateNode
    {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("control structures nested too deeply", at: position) }
        let scope = variables.count
        defer { variables.removeLast(variables.count - scope) }
        let pipeline = try parsePipeline(allowDeclaration: true, allowsTwoVariables: keyword == "range")
        try expectRightDelim()
        if keyword == "range" { loopDepth += 1 }
        let (body, terminator) = try parseList()
        if keyword == "range" { loopDepth -= 1 }
        var elseBody: [TemplateNode] = []
        guard let terminator else { throw error("unexpected EOF: {{\(keyword)}} has no {{end}}", at: position) }
        if terminator.word == "else" {
            // `{{else if x}}` is `{{else}}{{if x}}…{{end}}` sharing the outer `{{end}}`.
            if case .identifier(let word) = peek().kind, word == "if" {
                let chained = peek().position
                index += 1
                elseBody = [try parseBranch(word, at: chained)]
            } else {
                try expectRightDelim()
                let (rest, end) = try parseList()
                guard let end, end.word == "end" else {
                    throw error("expected {{end}} after {{else}} of {{\(keyword)}}", at: end?.position ?? position)
                }
                elseBody = rest
            }
        }
        let branch = TemplateBranch(pipeline: pipeline, body: body, elseBody: elseBody)
        switch keyword {
        case "if": return .ifBlock(branch)
        case "with": return .withBlock(branch)
        default: return .rangeBlock(branch)
        }
    }

    // MARK: - Pipelines

    mutating func parsePipeline(
        allowDeclaration: Bool, allowsTwoVariables: Bool = false
    ) throws(TemplateError) -> TemplatePipeline {
        let start = peek().position
        var declared: [String] = []
        var isAssignment = false
        if allowDeclaration, let names = try declaration(allowsTwo: allowsTwoVariables) {
            declared = names.variables
            isAssignment = names.isAssignment
        }
        var commands: [TemplateCommand] = []
        while true {
            commands.append(try parseCommand(stage: commands.count + 1))
            guard case .pipe = peek().kind else { break }
            index += 1
        }
        if !isAssignment { variables.append(contentsOf: declared) }
        return TemplatePipeline(position: start, variables: declared, isAssignment: isAssignment, commands: commands)
    }

    /// `$x :=`, `$x =`, or `$i, $e :=` (range only) at the start of a pipeline.
    private mutating func declaration(allowsTwo: Bool) throws(TemplateError) -> (
        variables: [String], isAssignment: Bool
    )? {
        guard case .variable(let first) = peek().kind else { return nil }
        let position = peek().position
        switch peek(1).kind {
        case .declare:
            index += 2
            return ([first], false)
        case .assign:
            guard variables.contains(first) else { throw error("undefined variable \"\(first)\"", at: position) }
            index += 2
            return ([first], true)
        case .comma where allowsTwo:
            guard case .variable(let second) = peek(2).kind, case .declare = peek(3).kind else {
                throw error("expected \"$a, $b :=\" in range", at: position)
            }
            index += 4
            return ([first, second], false)
        default:
            return nil
        }
    }

    private mutating func parseCommand(stage: Int) throws(TemplateError) -> TemplateCommand {
        let start = peek().position
        var operands: [TemplateOperand] = []
        while let operand = try parseOperand() {
            operands.append(operand)
        }
        guard let head = operands.first else {
            throw error("missing value for command", at: start)
        }
        for case .function(let function, let position) in operands.dropFirst() {
            // A function named as an argument is called with no arguments.
            try TemplateFunctions.checkArity(function, count: 0, name: name, at: position)
        }
        switch head {
        case .function(let function, let position):
            // A piped value arrives as the last argument.
            try TemplateFunctions.checkArity(
                function, count: operands.count - 1 + (stage > 1 ? 1 : 0), name: name, at: position)
        case .bool, .dot, .nilValue, .int, .float, .string:
            if stage > 1 { throw error("non executable command in pipeline stage \(stage)", at: start) }
            if case .nilValue = head, operands.count == 1 { throw error("nil is not a command", at: start) }
            if operands.count > 1 { throw error("can't give argument to non-function", at: start) }
        case .field, .variable, .nested:
            if operands.count > 1 || stage > 1 { throw error("can't give argument to non-function", at: start) }
        }
        return TemplateCommand(position: start, operands: operands)
    }

    private mutating func expectRightDelim() throws(TemplateError) {
        let token = next()
        guard case .rightDelim = token.kind else {
            throw error("unexpected \(token.kind.display) in action", at: token.position)
        }
    }

    // MARK: - Token access

    mutating func next() -> TemplateToken {
        let token = peek()
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func peek(_ offset: Int = 0) -> TemplateToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    mutating func skip() { if index < tokens.count - 1 { index += 1 } }

    func isDeclared(_ variable: String) -> Bool { variables.contains(variable) }

    var nesting: Int {
        get { depth }
        set { depth = newValue }
    }

    func error(_ message: String, at position: TemplatePosition) -> TemplateError {
        TemplateError(.parse, template: name, position: position, message: message)
    }
}
