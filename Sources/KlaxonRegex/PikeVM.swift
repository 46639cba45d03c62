/// Go's NFA simulation (a Pike VM): every thread advances one rune at a time, in priority order,
/// each instruction at most once per position, so a search is O(input × program) with captures.
///
/// It follows Go's `regexp` machine step for step (the order threads are added in, where a
/// leftmost-first match cuts lower-priority threads, how leftmost-longest keeps going), so
/// submatch positions equal Go's.
struct PikeVM {
    /// Why a search stopped before an answer.
    enum Stop: Error {
        /// The interrupt check asked to stop.
        case interrupted
    }

    private struct Queue {
        var sparse: [Int32]
        var visited: [Int32] = []
        var threads: [Int32] = []
        var caps: [Int] = []

        init(size: Int) { sparse = Array(repeating: 0, count: size) }

        /// Marks `pc` visited; false when it already was at this position.
        @inline(__always)
        mutating func visit(_ pc: Int) -> Bool {
            let j = Int(sparse[pc])
            if j < visited.count && visited[j] == Int32(pc) { return false }
            sparse[pc] = Int32(visited.count)
            visited.append(Int32(pc))
            return true
        }

        mutating func clear() {
            visited.removeAll(keepingCapacity: true)
            threads.removeAll(keepingCapacity: true)
            caps.removeAll(keepingCapacity: true)
        }
    }

    private struct Pending {
        var pc: Int32
        /// -1 to explore `pc`; otherwise a slot to restore to `value`.
        var slot: Int32
        var value: Int
    }

    let program: Program
    /// Slots tracked: 0 for a yes/no answer, 2 for the match bounds, more for groups.
    let slotCount: Int
    let longest: Bool
    private var runq: Queue
    private var nextq: Queue
    private var pending: [Pending] = []
    private var scratch: [Int]
    private(set) var matchCaps: [Int]
    private var matched = false
    /// Instructions visited so far: at most 2 × program size per input position.
    private(set) var steps = 0

    init(program: Program, slotCount: Int, longest: Bool) {
        self.program = program
        self.slotCount = slotCount
        self.longest = longest
        runq = Queue(size: program.count)
        nextq = Queue(size: program.count)
        scratch = Array(repeating: -1, count: slotCount)
        matchCaps = Array(repeating: -1, count: slotCount)
    }

    /// Searches `input` from `start` for the first match (leftmost-first, or leftmost-longest).
    /// Returns the slots (`[start, end, group1start, group1end, …]`, -1 when unset), empty for a
    /// yes/no search that matched, nil for no match. `interrupt` is asked every 1 024 runes.
    mutating func search(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, anchoredAtStart: Bool,
        interrupt: (() -> Bool)? = nil
    ) throws(Stop) -> [Int]? {
        matched = false
        for i in matchCaps.indices { matchCaps[i] = -1 }
        runq.clear()
        nextq.clear()
        var pos = start
        var (r, width) = Self.runeAt(input, pos)
        var (r1, width1) = r < 0 ? (Rune(-1), 0) : Self.runeAt(input, pos + width)
        var flag = Program.Empty.between(Self.runeBefore(input, pos), r)
        var sinceCheck = 0
        while true {
            if runq.threads.isEmpty {
                if anchoredAtStart && pos != 0 { break }
                if matched { break }
            }
            if !matched {
                if slotCount > 0 { matchCaps[0] = pos }
                for i in 0..<slotCount { scratch[i] = matchCaps[i] }
                add(toNext: false, pc: program.start, pos: pos, cond: flag)
            }
            flag = Program.Empty.between(r, r1)
            step(pos: pos, nextPos: pos + width, rune: r, nextCond: flag)
            if width == 0 { break }
            if slotCount == 0 && matched { break }
            pos += width
            (r, width) = (r1, width1)
            if r >= 0 { (r1, width1) = Self.runeAt(input, pos + width) }
            swap(&runq, &nextq)
            sinceCheck += 1
            if sinceCheck >= 1024 {
                sinceCheck = 0
                if let interrupt, interrupt() { throw .interrupted }
            }
        }
        nextq.clear()
        guard matched else { return nil }
        return matchCaps
    }

    @inline(__always)
    static func runeAt(_ input: UnsafeBufferPointer<UInt8>, _ pos: Int) -> (Rune, Int) {
        guard pos < input.count else { return (-1, 0) }
        return UTF8Decoding.decode(input, at: pos)
    }

    /// The rune before `pos` as far as assertions care: -1 at the start, the byte when ASCII.
    @inline(__always)
    static func runeBefore(_ input: UnsafeBufferPointer<UInt8>, _ pos: Int) -> Rune {
        guard pos > 0, pos <= input.count else { return -1 }
        let byte = input[pos - 1]
        return byte < 0x80 ? Rune(byte) : RegexLimits.runeError
    }

    private mutating func step(pos: Int, nextPos: Int, rune c: Rune, nextCond: Program.Empty) {
        var k = 0
        let count = runq.threads.count
        while k < count {
            let pc = Int(runq.threads[k])
            let base = k * slotCount
            k += 1
            steps &+= 1
            if longest && matched && slotCount > 0 && matchCaps[0] < runq.caps[base] { continue }
            switch program.ops[pc] {
            case .match:
                if slotCount > 0 && (!longest || !matched || matchCaps[1] < pos) {
                    for i in 0..<slotCount { matchCaps[i] = runq.caps[base + i] }
                    matchCaps[1] = pos
                }
                matched = true
                if !longest {
                    // Leftmost-first: lower-priority threads lose to this match.
                    k = count
                }
            default:
                if c >= 0 && program.matchesRune(pc, c) {
                    for i in 0..<slotCount { scratch[i] = runq.caps[base + i] }
                    add(toNext: true, pc: Int(program.outs[pc]), pos: nextPos, cond: nextCond)
                }
            }
        }
        runq.clear()
    }

    /// Follows empty transitions from `pc` in priority order, recording a thread (with the
    /// slots in `scratch`) at each rune or match instruction not yet visited at this position.
    private mutating func add(toNext: Bool, pc start: Int, pos: Int, cond: Program.Empty) {
        // The queue is moved out while threads are added (swaps are O(1)), so `self` stays free.
        var queue = Queue(size: 0)
        if toNext { swap(&queue, &nextq) } else { swap(&queue, &runq) }
        defer { if toNext { swap(&queue, &nextq) } else { swap(&queue, &runq) } }
        pending.append(Pending(pc: Int32(start), slot: -1, value: 0))
        while let entry = pending.popLast() {
            if entry.slot >= 0 {
                scratch[Int(entry.slot)] = entry.value
                continue
            }
            let pc = Int(entry.pc)
            if pc == 0 || !queue.visit(pc) { continue }
            steps &+= 1
            switch program.ops[pc] {
            case .fail:
                break
            case .alt:
                pending.append(Pending(pc: Int32(program.args[pc]), slot: -1, value: 0))
                pending.append(Pending(pc: Int32(program.outs[pc]), slot: -1, value: 0))
            case .emptyWidth:
                let needed = Program.Empty(rawValue: UInt8(truncatingIfNeeded: program.args[pc]))
                if cond.isSuperset(of: needed) {
                    pending.append(Pending(pc: Int32(program.outs[pc]), slot: -1, value: 0))
                }
            case .nop:
                pending.append(Pending(pc: Int32(program.outs[pc]), slot: -1, value: 0))
            case .capture:
                let slot = Int(program.args[pc])
                if slot < slotCount {
                    pending.append(Pending(pc: 0, slot: Int32(slot), value: scratch[slot]))
                    scratch[slot] = pos
                }
                pending.append(Pending(pc: Int32(program.outs[pc]), slot: -1, value: 0))
            case .match, .rune, .runeAny, .runeAnyNotNL:
                queue.threads.append(Int32(pc))
                for i in 0..<slotCount { queue.caps.append(scratch[i]) }
            }
        }
    }
}
