/// Runs a parsed template against one alert's data, as Go's text/template executes it with
/// `missingkey=zero` (a missing label reads as the empty string).
struct TemplateExecutor {
    let name: String
    let data: TemplateData
    private(set) var output = ""
    private var variables: [(String, TemplateValue)]
    private var position = TemplatePosition(line: 1, column: 1)

    private enum LoopControl: Error {
        case breakLoop
        case continueLoop
    }

    init(name: String, data: TemplateData) {
        self.name = name
        self.data = data
        variables = [("$", data.dot)] + data.variables.map { ($0.name, $0.value) }
    }

    mutating func run(_ nodes: [TemplateNode]) throws(TemplateError) {
        do {
            try walk(nodes, dot: data.dot)
        } catch let error as TemplateError {
            throw error
        } catch {
            // break/continue are only parsed inside range, so none escapes the top level.
            throw fail("{{break}} or {{continue}} outside {{range}}")
        }
    }

    // MARK: - Nodes

    private mutating func walk(_ nodes: [TemplateNode], dot: TemplateValue) throws {
        for node in nodes {
            switch node {
            case .text(let text):
                try emit(text)
            case .action(let pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.variables.isEmpty { try emit(value.printed) }
            case .ifBlock(let branch):
                try scoped { (executor: inout TemplateExecutor) throws in
                    let condition = try executor.evaluate(branch.pipeline, dot: dot)
                    try executor.walk(condition.isTrue ? branch.body : branch.elseBody, dot: dot)
                }
            case .withBlock(let branch):
                try scoped { (executor: inout TemplateExecutor) throws in
                    let value = try executor.evaluate(branch.pipeline, dot: dot)
                    if value.isTrue {
                        try executor.walk(branch.body, dot: value)
                    } else {
                        try executor.walk(branch.elseBody, dot: dot)
                    }
                }
            case .rangeBlock(let branch):
                try scoped { (executor: inout TemplateExecutor) throws in try executor.range(branch, dot: dot) }
            case .breakLoop:
                throw LoopControl.breakLoop
            case .continueLoop:
                throw LoopControl.continueLoop
            }
        }
    }

    /// Variables declared inside a control structure end with it.
    private mutating func scoped(_ body: (inout TemplateExecutor) throws -> Void) throws {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        try body(&self)
    }

    private mutating func range(_ branch: TemplateBranch, dot: TemplateValue) throws {
        let value = try evaluate(branch.pipeline, dot: dot, declare: false)
        // Go ranges over a map in sorted key order (key, element) and over a slice by index.
        let pairs: [(key: TemplateValue, element: TemplateValue)]
        switch value {
        case .map(let map):
            pairs = map.keys.sorted(by: goLess).map { (.string($0), .string(map[$0] ?? "")) }
        case .list(let list):
            pairs = list.items.enumerated().map { (.int(Int64($0.offset)), $0.element) }
        default:
            position = branch.pipeline.position
            throw fail("range can't iterate over \(value.printed)")
        }
        guard !pairs.isEmpty else {
            try walk(branch.elseBody, dot: dot)
            return
        }
        let mark = variables.count
        for (key, element) in pairs {
            variables.removeLast(variables.count - mark)
            switch branch.pipeline.variables.count {
            case 1: variables.append((branch.pipeline.variables[0], element))
            case 2:
                variables.append(contentsOf: [
                    (branch.pipeline.variables[0], key), (branch.pipeline.variables[1], element),
                ])
            default: break
            }
            do {
                try walk(branch.body, dot: element)
            } catch LoopControl.breakLoop {
                break
            } catch LoopControl.continueLoop {
                continue
            }
        }
    }

    private mutating func emit(_ text: String) throws(TemplateError) {
        guard output.utf8.count + text.utf8.count <= Template.maxOutput else {
            throw fail("expansion is longer than \(Template.maxOutput) bytes")
        }
        output += text
    }

    // MARK: - Pipelines

    mutating func evaluate(_ pipeline: TemplatePipeline, dot: TemplateValue, declare: Bool = true) throws(TemplateError)
        -> TemplateValue
    {
        var value: TemplateValue?
        for command in pipeline.commands {
            value = try evaluate(command, dot: dot, piped: value)
        }
        let result = value ?? .noValue
        if declare, let variable = pipeline.variables.first {
            if pipeline.isAssignment {
                if let slot = variables.lastIndex(where: { $0.0 == variable }) { variables[slot].1 = result }
            } else {
                variables.append((variable, result))
            }
        }
        return result
    }

    private mutating func evaluate(_ command: TemplateCommand, dot: TemplateValue, piped: TemplateValue?)
        throws(TemplateError) -> TemplateValue
    {
        guard let head = command.operands.first else { return .noValue }
        guard case .function(let function, let at) = head else {
            return try operand(head, dot: dot)
        }
        position = at
        let arguments = command.operands.dropFirst()
        if function == "and" || function == "or" {
            // Go 1.18+ stops at the first argument that decides the result.
            var last = TemplateValue.noValue
            for argument in arguments {
                last = try operand(argument, dot: dot)
                if last.isTrue != (function == "and") { return last }
            }
            if let piped { last = piped }
            return last
        }
        var values: [TemplateValue] = []
        for argument in arguments { values.append(try operand(argument, dot: dot)) }
        if let piped { values.append(piped) }
        do {
            return try TemplateFunctions.call(function, values, data: data)
        } catch {
            position = at
            throw fail("error calling \(function): \(error.message)")
        }
    }

    private mutating func operand(_ operand: TemplateOperand, dot: TemplateValue) throws(TemplateError) -> TemplateValue
    {
        switch operand {
        case .dot: return dot
        case .string(let text): return .string(text)
        case .int(let value): return .int(value)
        case .float(let value): return .float(value)
        case .bool(let value): return .bool(value)
        case .nilValue: return .noValue
        case .field(let fields, let at):
            position = at
            return try access(dot, fields)
        case .variable(let variable, let fields, let at):
            position = at
            guard let value = variables.last(where: { $0.0 == variable })?.1 else {
                throw fail("undefined variable \(variable)")
            }
            return try access(value, fields)
        case .nested(let pipeline, let fields):
            let mark = variables.count
            let value = try evaluate(pipeline, dot: dot)
            variables.removeLast(variables.count - mark)
            return try access(value, fields)
        case .function(let function, let at):
            position = at
            _ = function
            return try evaluate(TemplateCommand(position: at, operands: [operand]), dot: dot, piped: nil)
        }
    }

    private func access(_ value: TemplateValue, _ fields: [String]) throws(TemplateError) -> TemplateValue {
        var current = value
        for field in fields {
            switch current {
            case .map(let map): current = .string(map[field] ?? "")
            case .record(let record):
                guard let found = record.first(where: { $0.name == field }) else {
                    throw fail("can't evaluate field \(field) in type \(current.goType)")
                }
                current = found.value
            case .list(let list):
                guard let method = list.methods.first(where: { $0.name == field }) else {
                    throw fail("can't evaluate field \(field) in type \(list.goType)")
                }
                current = method.value
            case .noValue:
                throw fail("nil pointer evaluating interface {}.\(field)")
            default:
                throw fail("can't evaluate field \(field) in type \(current.goType)")
            }
        }
        return current
    }

    private func fail(_ message: String) -> TemplateError {
        TemplateError(.execute, template: name, position: position, message: message)
    }
}
