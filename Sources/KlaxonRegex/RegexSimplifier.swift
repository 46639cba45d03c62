/// Go's `Regexp.Simplify`: counted repetitions become concatenations of copies, `x**` becomes
/// `x*`, and so on, so the compiler only sees `*`, `+` and `?`.
enum RegexSimplifier {
    static func simplify(_ node: RegexNode) -> RegexNode {
        switch node.op {
        case .capture, .concat, .alternate:
            var copy = node
            copy.subs = node.subs.map(simplify)
            return copy
        case .star, .plus, .quest:
            guard let sub = node.subs.first else { return node }
            return simplify1(node.op, node.flags, simplify(sub))
        case .repeat:
            return simplifyRepeat(node)
        default:
            return node
        }
    }

    private static func simplifyRepeat(_ node: RegexNode) -> RegexNode {
        if node.min == 0 && node.max == 0 { return RegexNode(.emptyMatch) }
        guard let first = node.subs.first else { return node }
        let sub = simplify(first)
        if node.max == -1 {
            if node.min == 0 { return simplify1(.star, node.flags, sub) }
            if node.min == 1 { return simplify1(.plus, node.flags, sub) }
            var concat = RegexNode(.concat)
            concat.subs = Array(repeating: sub, count: node.min - 1) + [simplify1(.plus, node.flags, sub)]
            return concat
        }
        if node.min == 1 && node.max == 1 { return sub }
        var prefix: [RegexNode] = []
        if node.min > 0 { prefix = Array(repeating: sub, count: node.min) }
        if node.max > node.min {
            var suffix = simplify1(.quest, node.flags, sub)
            var i = node.min + 1
            while i < node.max {
                var pair = RegexNode(.concat)
                pair.subs = [sub, suffix]
                suffix = simplify1(.quest, node.flags, pair)
                i += 1
            }
            if prefix.isEmpty { return suffix }
            prefix.append(suffix)
        }
        if !prefix.isEmpty {
            var concat = RegexNode(.concat)
            concat.subs = prefix
            return concat
        }
        return RegexNode(.noMatch)
    }

    private static func simplify1(_ op: RegexNode.Op, _ flags: RegexFlags, _ sub: RegexNode) -> RegexNode {
        if sub.op == .emptyMatch { return sub }
        if op == sub.op && flags.contains(.nonGreedy) == sub.flags.contains(.nonGreedy) { return sub }
        var node = RegexNode(op, flags: flags)
        node.subs = [sub]
        return node
    }
}
