/// Go's `syntax.Compile`: a simplified tree to a `Program`, fragment by fragment, with patch lists
/// threaded through the unfilled `out`/`args` fields (so long alternations compile in linear time).
struct RegexCompiler {
    private var program = Program()

    private struct PatchList {
        var head: UInt32 = 0
        var tail: UInt32 = 0
    }

    private struct Fragment {
        var start: UInt32 = 0
        var out = PatchList()
        var nullable = false
    }

    static func compile(_ root: RegexNode) -> Program {
        var compiler = RegexCompiler()
        _ = compiler.inst(.fail)
        let fragment = compiler.compile(root)
        let match = compiler.inst(.match)
        compiler.patch(fragment.out, match.start)
        compiler.program.start = Int(fragment.start)
        return compiler.program
    }

    private mutating func compile(_ node: RegexNode) -> Fragment {
        switch node.op {
        case .noMatch: return Fragment()
        case .emptyMatch: return nop()
        case .literal:
            guard !node.runes.isEmpty else { return nop() }
            var fragment = Fragment()
            for (index, r) in node.runes.enumerated() {
                let next = runeFragment(literal: r, fold: node.flags.contains(.foldCase))
                fragment = index == 0 ? next : cat(fragment, next)
            }
            return fragment
        case .charClass: return runeFragment(ranges: node.runes)
        case .anyCharNotNL: return runeFragment(op: .runeAnyNotNL, ranges: [])
        case .anyChar: return runeFragment(op: .runeAny, ranges: [])
        case .beginLine: return empty(.beginLine)
        case .endLine: return empty(.endLine)
        case .beginText: return empty(.beginText)
        case .endText: return empty(.endText)
        case .wordBoundary: return empty(.wordBoundary)
        case .noWordBoundary: return empty(.noWordBoundary)
        case .capture:
            let open = capture(UInt32(node.cap) << 1)
            let sub = node.subs.first.map { compile($0) } ?? nop()
            let close = capture(UInt32(node.cap) << 1 | 1)
            return cat(cat(open, sub), close)
        case .star:
            let sub = node.subs.first.map { compile($0) } ?? nop()
            return star(sub, nonGreedy: node.flags.contains(.nonGreedy))
        case .plus:
            let sub = node.subs.first.map { compile($0) } ?? nop()
            return plus(sub, nonGreedy: node.flags.contains(.nonGreedy))
        case .quest:
            let sub = node.subs.first.map { compile($0) } ?? nop()
            return quest(sub, nonGreedy: node.flags.contains(.nonGreedy))
        case .concat:
            guard !node.subs.isEmpty else { return nop() }
            var fragment = Fragment()
            for (index, sub) in node.subs.enumerated() {
                let next = compile(sub)
                fragment = index == 0 ? next : cat(fragment, next)
            }
            return fragment
        case .alternate:
            var fragment = Fragment()
            for sub in node.subs { fragment = alt(fragment, compile(sub)) }
            return fragment
        case .repeat, .leftParen, .verticalBar:
            // Simplification removed counted repeats; pseudo-operators never leave the parser.
            return Fragment()
        }
    }

    // MARK: - Instructions and patch lists

    private mutating func inst(_ op: Program.Op) -> Fragment {
        let pc = UInt32(program.ops.count)
        program.ops.append(op)
        program.outs.append(0)
        program.args.append(0)
        program.ranges.append([])
        return Fragment(start: pc, out: PatchList(), nullable: true)
    }

    private mutating func patch(_ list: PatchList, _ value: UInt32) {
        var l = list.head
        while l != 0 {
            let pc = Int(l >> 1)
            if l & 1 == 0 {
                l = program.outs[pc]
                program.outs[pc] = value
            } else {
                l = program.args[pc]
                program.args[pc] = value
            }
        }
    }

    private mutating func append(_ l1: PatchList, _ l2: PatchList) -> PatchList {
        if l1.head == 0 { return l2 }
        if l2.head == 0 { return l1 }
        let pc = Int(l1.tail >> 1)
        if l1.tail & 1 == 0 {
            program.outs[pc] = l2.head
        } else {
            program.args[pc] = l2.head
        }
        return PatchList(head: l1.head, tail: l2.tail)
    }

    private static func list(_ value: UInt32) -> PatchList { PatchList(head: value, tail: value) }

    private mutating func nop() -> Fragment {
        var fragment = inst(.nop)
        fragment.out = Self.list(fragment.start << 1)
        return fragment
    }

    private mutating func capture(_ slot: UInt32) -> Fragment {
        var fragment = inst(.capture)
        fragment.out = Self.list(fragment.start << 1)
        program.args[Int(fragment.start)] = slot
        program.slotCount = max(program.slotCount, Int(slot) + 1)
        return fragment
    }

    private mutating func empty(_ condition: Program.Empty) -> Fragment {
        var fragment = inst(.emptyWidth)
        program.args[Int(fragment.start)] = UInt32(condition.rawValue)
        fragment.out = Self.list(fragment.start << 1)
        return fragment
    }

    private mutating func runeFragment(literal r: Rune, fold: Bool) -> Fragment {
        guard fold, CaseFolding.simpleFold(r) != r else { return runeFragment(ranges: [r, r]) }
        var ranges: [Rune] = []
        for member in CaseFolding.orbit(of: r) { ranges += [member, member] }
        return runeFragment(ranges: CharClass.clean(ranges))
    }

    private mutating func runeFragment(ranges: [Rune]) -> Fragment {
        if ranges == [0, RegexLimits.maxRune] { return runeFragment(op: .runeAny, ranges: []) }
        if ranges == [0, 9, 11, RegexLimits.maxRune] { return runeFragment(op: .runeAnyNotNL, ranges: []) }
        return runeFragment(op: .rune, ranges: ranges)
    }

    private mutating func runeFragment(op: Program.Op, ranges: [Rune]) -> Fragment {
        var fragment = inst(op)
        fragment.nullable = false
        program.ranges[Int(fragment.start)] = ranges
        fragment.out = Self.list(fragment.start << 1)
        return fragment
    }

    private mutating func cat(_ f1: Fragment, _ f2: Fragment) -> Fragment {
        if f1.start == 0 || f2.start == 0 { return Fragment() }
        patch(f1.out, f2.start)
        return Fragment(start: f1.start, out: f2.out, nullable: f1.nullable && f2.nullable)
    }

    private mutating func alt(_ f1: Fragment, _ f2: Fragment) -> Fragment {
        if f1.start == 0 { return f2 }
        if f2.start == 0 { return f1 }
        var fragment = inst(.alt)
        program.outs[Int(fragment.start)] = f1.start
        program.args[Int(fragment.start)] = f2.start
        fragment.out = append(f1.out, f2.out)
        fragment.nullable = f1.nullable || f2.nullable
        return fragment
    }

    private mutating func quest(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        var fragment = inst(.alt)
        let pc = Int(fragment.start)
        if nonGreedy {
            program.args[pc] = f1.start
            fragment.out = Self.list(fragment.start << 1)
        } else {
            program.outs[pc] = f1.start
            fragment.out = Self.list(fragment.start << 1 | 1)
        }
        fragment.out = append(fragment.out, f1.out)
        return fragment
    }

    /// `f1*` when `f1` cannot match empty: a loop back to one `alt`.
    private mutating func loop(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        var fragment = inst(.alt)
        let pc = Int(fragment.start)
        if nonGreedy {
            program.args[pc] = f1.start
            fragment.out = Self.list(fragment.start << 1)
        } else {
            program.outs[pc] = f1.start
            fragment.out = Self.list(fragment.start << 1 | 1)
        }
        patch(f1.out, fragment.start)
        return fragment
    }

    private mutating func star(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        // A nullable body needs (f1+)? for Go's priority order (golang.org/issue/46123).
        if f1.nullable { return quest(plus(f1, nonGreedy: nonGreedy), nonGreedy: nonGreedy) }
        return loop(f1, nonGreedy: nonGreedy)
    }

    private mutating func plus(_ f1: Fragment, nonGreedy: Bool) -> Fragment {
        Fragment(start: f1.start, out: loop(f1, nonGreedy: nonGreedy).out, nullable: f1.nullable)
    }
}
