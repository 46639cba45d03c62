/// A compiled RE2/Go regular expression: Go's syntax and error texts, Go's match semantics
/// (leftmost-first, or leftmost-longest on request), in time linear in the input.
///
/// Matching takes bytes, as Go's does: invalid UTF-8 in the text reads as U+FFFD, one byte each.
/// Immutable and `Sendable`; share one per pattern.
package final class Regex: Sendable {
    /// The pattern as given.
    package let pattern: String
    /// Number of capture groups.
    package let captureCount: Int
    /// Each group's name (`(?P<name>…)`), index 0 the whole match; nil for unnamed groups.
    package let captureNames: [String?]
    let program: Program
    let anchoredAtStart: Bool
    let dfa: DFA?

    /// Compiles `pattern` as Go's `regexp.Compile` does; throws Go's error for what Go refuses.
    package init(_ pattern: String) throws(RegexError) {
        let bytes = Array(pattern.utf8)
        let parsed = try RegexParser.parse(bytes)
        (self.pattern, captureCount, captureNames, program, anchoredAtStart, dfa) = Self.compile(parsed, bytes)
    }

    /// Compiles a pattern given as bytes (it may hold invalid UTF-8, which Go refuses).
    package init(bytes: [UInt8]) throws(RegexError) {
        let parsed = try RegexParser.parse(bytes)
        (pattern, captureCount, captureNames, program, anchoredAtStart, dfa) = Self.compile(parsed, bytes)
    }

    /// Compiles an already parsed pattern.
    init(parsed: ParsedPattern, bytes: [UInt8]) {
        (pattern, captureCount, captureNames, program, anchoredAtStart, dfa) = Self.compile(parsed, bytes)
    }

    private static func compile(_ parsed: ParsedPattern, _ bytes: [UInt8]) -> (
        String, Int, [String?], Program, Bool, DFA?
    ) {
        var program = RegexCompiler.compile(RegexSimplifier.simplify(parsed.root))
        program.slotCount = 2 * (parsed.captureCount + 1)
        return (
            String(decoding: bytes, as: UTF8.self), parsed.captureCount, parsed.captureNames, program,
            startsWithBeginText(program), DFA.build(program)
        )
    }

    /// Whether every match must start at the text's beginning (Go's `StartCond` has `\A`).
    private static func startsWithBeginText(_ program: Program) -> Bool {
        var pc = program.start
        var seen = 0
        while seen < program.count {
            seen += 1
            switch program.ops[pc] {
            case .emptyWidth:
                let empty = Program.Empty(rawValue: UInt8(truncatingIfNeeded: program.args[pc]))
                if empty.contains(.beginText) { return true }
                pc = Int(program.outs[pc])
            case .capture, .nop:
                pc = Int(program.outs[pc])
            default:
                return false
            }
        }
        return false
    }

    // MARK: - Matching

    /// The first match in `input` at or after `start`: `[start, end, g1start, g1end, …]` byte
    /// offsets (-1 for a group that did not take part), or nil. Go's `FindSubmatchIndex`, and with
    /// `longest` its leftmost-longest form. `interrupt`, asked now and then, stops a long search
    /// (nil is returned with `interrupted` set).
    package func firstMatch(
        in input: UnsafeBufferPointer<UInt8>, from start: Int = 0, longest: Bool = false,
        interrupt: (() -> Bool)? = nil
    ) throws(RegexInterrupted) -> [Int]? {
        guard start <= input.count else { return nil }
        var vm = PikeVM(program: program, slotCount: program.slotCount, longest: longest)
        do {
            return try vm.search(input, from: start, anchoredAtStart: anchoredAtStart, interrupt: interrupt)
        } catch {
            throw RegexInterrupted()
        }
    }

    /// Whether `input` holds a match (Go's `Match`): the DFA when the pattern allows one.
    package func matches(_ input: UnsafeBufferPointer<UInt8>, interrupt: (() -> Bool)? = nil) throws(RegexInterrupted)
        -> Bool
    {
        if let dfa { return try dfa.matches(input, interrupt: interrupt) }
        return try matchesByNFA(input, interrupt: interrupt)
    }

    /// `matches` on the NFA alone, the reference the DFA is checked against.
    package func matchesByNFA(_ input: UnsafeBufferPointer<UInt8>, interrupt: (() -> Bool)? = nil)
        throws(RegexInterrupted) -> Bool
    {
        var vm = PikeVM(program: program, slotCount: 0, longest: false)
        do {
            return try vm.search(input, from: 0, anchoredAtStart: anchoredAtStart, interrupt: interrupt) != nil
        } catch {
            throw RegexInterrupted()
        }
    }

    /// Whether `text` holds a match.
    package func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in (try? matches(buffer)) ?? false }
    }

    /// NFA instructions visited by a yes/no search of `input`, and the most the search may take
    /// (2 × program size per input position): for the fuzz harness.
    package func nfaSteps(_ input: UnsafeBufferPointer<UInt8>) -> (steps: Int, bound: Int) {
        var vm = PikeVM(program: program, slotCount: 0, longest: false)
        _ = try? vm.search(input, from: 0, anchoredAtStart: anchoredAtStart)
        let positions = input.count &+ 2
        return (vm.steps, positions.multipliedReportingOverflow(by: 2 &* program.count).partialValue)
    }

    /// The program's size in instructions.
    package var programSize: Int { program.count }
}

/// A search stopped by its interrupt check (a query's deadline) before it had an answer.
package struct RegexInterrupted: Error, Sendable {}
