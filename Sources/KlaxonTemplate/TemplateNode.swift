/// The parsed form of a template: what to print and which control structures wrap it.
indirect enum TemplateNode: Sendable {
    case text(String)
    /// `{{ pipeline }}`: prints the result unless the pipeline declares or assigns a variable.
    case action(TemplatePipeline)
    case ifBlock(TemplateBranch)
    case withBlock(TemplateBranch)
    case rangeBlock(TemplateBranch)
    case breakLoop(TemplatePosition)
    case continueLoop(TemplatePosition)
}

/// `if`, `with` or `range`: a condition, the body when it holds, and the `else` body.
struct TemplateBranch: Sendable {
    var pipeline: TemplatePipeline
    var body: [TemplateNode]
    var elseBody: [TemplateNode]
}

/// Commands joined by `|`, optionally declaring (`$x :=`) or assigning (`$x =`) variables.
struct TemplatePipeline: Sendable {
    var position: TemplatePosition
    var variables: [String]
    var isAssignment: Bool
    var commands: [TemplateCommand]
}

/// One stage of a pipeline: a function and its arguments, or a single operand.
struct TemplateCommand: Sendable {
    var position: TemplatePosition
    var operands: [TemplateOperand]
}

/// An argument or the head of a command.
indirect enum TemplateOperand: Sendable {
    case function(String, TemplatePosition)
    /// `.A.B`: fields read from dot.
    case field([String], TemplatePosition)
    /// `$x.A.B`.
    case variable(String, [String], TemplatePosition)
    case dot
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case nilValue
    /// `(pipeline).A.B`.
    case nested(TemplatePipeline, [String])
}
