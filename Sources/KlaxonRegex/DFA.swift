/// A deterministic automaton for yes/no matching, built from the program by subset construction
/// when the pattern allows it: no assertions but `\A`/`^` and `\z`/`$`, and at most
/// `maxStates` states. One table lookup per input rune (per byte for ASCII), no allocation.
///
/// Built eagerly at compile time so the tables are immutable and shared by every thread; a
/// pattern whose automaton would grow past the budget keeps to the NFA, which is linear too.
final class DFA: Sendable {
    static let maxStates = 1_000
    static let maxTransitions = 131_072

    private let boundaries: [Rune]
    private let asciiClass: [UInt16]
    private let classCount: Int
    /// `state * classCount + class` → next state; state 0 is dead.
    private let transitions: [Int32]
    /// The state holds the match instruction: a match ends here.
    private let accepting: [Bool]
    /// A match ends at the end of the text when the text ends in this state.
    private let acceptsAtEnd: [Bool]
    private let start: Int32
    /// Whether the empty text matches (assertions see both ends at once).
    private let emptyMatches: Bool

    private init(
        boundaries: [Rune], asciiClass: [UInt16], classCount: Int, transitions: [Int32], accepting: [Bool],
        acceptsAtEnd: [Bool], start: Int32, emptyMatches: Bool
    ) {
        self.boundaries = boundaries
        self.asciiClass = asciiClass
        self.classCount = classCount
        self.transitions = transitions
        self.accepting = accepting
        self.acceptsAtEnd = acceptsAtEnd
        self.start = start
        self.emptyMatches = emptyMatches
    }

    /// Whether the text matches anywhere (Go's `Match`). `interrupt` is asked every 16 KiB.
    func matches(_ input: UnsafeBufferPointer<UInt8>, interrupt: (() -> Bool)?) throws(RegexInterrupted) -> Bool {
        if input.isEmpty { return emptyMatches }
        var state = Int(start)
        if accepting[state] { return true }
        var i = 0
        let count = input.count
        var nextCheck = 16_384
        while i < count {
            let byte = input[i]
            let cls: Int
            if byte < 0x80 {
                cls = Int(asciiClass[Int(byte)])
                i += 1
            } else {
                let (r, width) = UTF8Decoding.decode(input, at: i)
                cls = classOf(r)
                i += max(width, 1)
            }
            state = Int(transitions[state &* classCount &+ cls])
            if state == 0 { return false }
            if accepting[state] { return true }
            if i >= nextCheck {
                nextCheck &+= 16_384
                if let interrupt, interrupt() { throw RegexInterrupted() }
            }
        }
        return acceptsAtEnd[state]
    }

    @inline(__always)
    private func classOf(_ r: Rune) -> Int {
        var lo = 0
        var hi = boundaries.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if boundaries[mid] <= r { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: - Construction

    /// The automaton for `program`, or nil when it has context assertions or outgrows the budget.
    static func build(_ program: Program) -> DFA? {
        guard !program.hasContextAssertions else { return nil }
        var builder = Builder(program: program)
        return builder.build()
    }

    private struct Builder {
        let program: Program
        let unanchored: Bool
        var boundaries: [Rune] = []
        var stack: [Int32] = []
        var seen: [Bool]
        var touched: [Int32] = []

        init(program: Program) {
            self.program = program
            seen = Array(repeating: false, count: program.count)
            unanchored = !Self.anchored(program)
            var points = Set<Rune>()
            for pc in 0..<program.count {
                switch program.ops[pc] {
                case .rune:
                    var i = 0
                    let ranges = program.ranges[pc]
                    while i + 1 < ranges.count {
                        points.insert(ranges[i])
                        points.insert(ranges[i + 1] + 1)
                        i += 2
                    }
                case .runeAnyNotNL:
                    points.insert(10)
                    points.insert(11)
                default: break
                }
            }
            boundaries = points.sorted()
        }

        private static func anchored(_ program: Program) -> Bool {
            var pc = program.start
            for _ in 0..<program.count {
                switch program.ops[pc] {
                case .emptyWidth:
                    let empty = Program.Empty(rawValue: UInt8(truncatingIfNeeded: program.args[pc]))
                    if empty.contains(.beginText) { return true }
                    pc = Int(program.outs[pc])
                case .capture, .nop: pc = Int(program.outs[pc])
                default: return false
                }
            }
            return false
        }

        /// Leaves reached from `roots` by empty moves: rune, match and pending `\z` instructions.
        mutating func closure(_ roots: [Int32], atBeginning: Bool, atEnd: Bool, into leaves: inout [Int32]) {
            stack.append(contentsOf: roots.reversed())
            while let top = stack.popLast() {
                let pc = Int(top)
                if pc == 0 || seen[pc] { continue }
                seen[pc] = true
                touched.append(top)
                switch program.ops[pc] {
                case .fail: break
                case .alt:
                    stack.append(Int32(program.args[pc]))
                    stack.append(Int32(program.outs[pc]))
                case .nop, .capture:
                    stack.append(Int32(program.outs[pc]))
                case .emptyWidth:
                    let needed = Program.Empty(rawValue: UInt8(truncatingIfNeeded: program.args[pc]))
                    var holds: Program.Empty = []
                    if atBeginning { holds.insert(.beginText) }
                    if atEnd { holds.insert(.endText) }
                    if holds.isSuperset(of: needed) {
                        stack.append(Int32(program.outs[pc]))
                    } else if needed == .endText {
                        // Decided at the end of the text: kept as a pending leaf.
                        leaves.append(top)
                    }
                case .match, .rune, .runeAny, .runeAnyNotNL:
                    leaves.append(top)
                }
            }
        }

        mutating func resetSeen() {
            for pc in touched { seen[Int(pc)] = false }
            touched.removeAll(keepingCapacity: true)
        }

        func holdsMatch(_ leaves: [Int32]) -> Bool {
            leaves.contains { program.ops[Int($0)] == .match }
        }

        mutating func endsInMatch(_ leaves: [Int32], atBeginning: Bool) -> Bool {
            if holdsMatch(leaves) { return true }
            var pendingOuts: [Int32] = []
            for pc in leaves where program.ops[Int(pc)] == .emptyWidth {
                pendingOuts.append(Int32(program.outs[Int(pc)]))
            }
            guard !pendingOuts.isEmpty else { return false }
            var reached: [Int32] = []
            resetSeen()
            closure(pendingOuts, atBeginning: atBeginning, atEnd: true, into: &reached)
            resetSeen()
            return holdsMatch(reached)
        }

        mutating func build() -> DFA? {
            let classCount = boundaries.count + 1
            var representatives: [Rune] = [0]
            for boundary in boundaries { representatives.append(boundary) }
            var asciiClass = [UInt16](repeating: 0, count: 128)
            for byte in 0..<128 {
                var lo = 0
                var hi = boundaries.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if boundaries[mid] <= Rune(byte) { lo = mid + 1 } else { hi = mid }
                }
                asciiClass[byte] = UInt16(clamping: lo)
            }
            var startLeaves: [Int32] = []
            closure([Int32(program.start)], atBeginning: true, atEnd: false, into: &startLeaves)
            resetSeen()
            var emptyLeaves: [Int32] = []
            closure([Int32(program.start)], atBeginning: true, atEnd: true, into: &emptyLeaves)
            resetSeen()
            let emptyMatches = holdsMatch(emptyLeaves)
            var restartLeaves: [Int32] = []
            if unanchored {
                closure([Int32(program.start)], atBeginning: false, atEnd: false, into: &restartLeaves)
                resetSeen()
            }
            var sets: [[Int32]] = [[]]
            var index: [[Int32]: Int32] = [[]: 0]
            let startSet = Array(Set(startLeaves)).sorted()
            index[startSet] = 1
            sets.append(startSet)
            var transitions = [Int32](repeating: 0, count: classCount * 2)
            var work = 1
            while work < sets.count {
                let leaves = sets[work]
                // Many classes lead on from the same instructions (most often none): close each set once.
                var targets: [[Int32]: Int32] = [:]
                for cls in 0..<classCount {
                    let r = representatives[cls]
                    var roots: [Int32] = []
                    for pc in leaves where program.matchesRune(Int(pc), r) {
                        roots.append(Int32(program.outs[Int(pc)]))
                    }
                    if let known = targets[roots] {
                        transitions[work * classCount + cls] = known
                        continue
                    }
                    var next: [Int32] = []
                    closure(roots, atBeginning: false, atEnd: false, into: &next)
                    if unanchored { next.append(contentsOf: restartLeaves) }
                    resetSeen()
                    let key = Array(Set(next)).sorted()
                    let target: Int32
                    if let known = index[key] {
                        target = known
                    } else {
                        guard sets.count < DFA.maxStates, (sets.count + 1) * classCount <= DFA.maxTransitions else {
                            return nil
                        }
                        target = Int32(sets.count)
                        index[key] = target
                        sets.append(key)
                        transitions.append(contentsOf: repeatElement(0, count: classCount))
                    }
                    transitions[work * classCount + cls] = target
                    targets[roots] = target
                }
                work += 1
            }
            var accepting: [Bool] = []
            var acceptsAtEnd: [Bool] = []
            for (state, leaves) in sets.enumerated() {
                accepting.append(holdsMatch(leaves))
                acceptsAtEnd.append(state == 0 ? false : endsInMatch(leaves, atBeginning: false))
            }
            return DFA(
                boundaries: boundaries, asciiClass: asciiClass, classCount: classCount, transitions: transitions,
                accepting: accepting, acceptsAtEnd: acceptsAtEnd, start: 1, emptyMatches: emptyMatches)
        }
    }
}
