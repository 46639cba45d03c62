import KlaxonRegex

/// Arbitrary bytes as a pattern and a text (split at the first newline). Every compiled pattern is
/// matched by the DFA and by the NFA, which must agree, and the NFA must stay within its step
/// bound (2 × program size per input position); the label-matcher fast paths must agree with the
/// automaton. Any disagreement traps, which libFuzzer reports as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 10) ?? bytes.count
    let pattern = Array(bytes[..<split])
    let text = split < bytes.count ? Array(bytes[(split + 1)...]) : []
    guard let regex = try? Regex(bytes: pattern) else { return 0 }
    // Huge programs are legal but make each run slow; the parser limits are fuzzed all the same.
    guard regex.programSize <= 20_000 else { return 0 }
    text.withUnsafeBufferPointer { buffer in
        let fast = (try? regex.matches(buffer)) ?? false
        let nfa = (try? regex.matchesByNFA(buffer)) ?? false
        if fast != nfa { fatalError("DFA says \(fast), NFA says \(nfa)") }
        let (steps, bound) = regex.nfaSteps(buffer)
        if steps > bound { fatalError("NFA took \(steps) steps, bound \(bound)") }
        let first = (try? regex.firstMatch(in: buffer)) ?? nil
        let longest = (try? regex.firstMatch(in: buffer, longest: true)) ?? nil
        if (first != nil) != nfa || (longest != nil) != nfa { fatalError("search and match disagree") }
        for slots in [first, longest].compactMap({ $0 }) {
            guard slots.count >= 2, slots[0] >= 0, slots[0] <= slots[1], slots[1] <= buffer.count else {
                fatalError("bad match bounds \(slots)")
            }
        }
        if let first, let longest, first[0] != longest[0] { fatalError("leftmost-first and -longest start apart") }
        if let first, let longest, longest[1] < first[1] { fatalError("longest match is shorter") }
    }
    let patternText = String(decoding: pattern, as: UTF8.self)
    let valueText = String(decoding: text, as: UTF8.self)
    if let anchored = try? AnchoredRegex(patternText), anchored.regex.programSize <= 20_000 {
        if anchored.matches(valueText) != anchored.matchesByAutomaton(valueText) {
            fatalError("fast path and automaton disagree")
        }
    }
    _ = regex.replaceAll(in: valueText, template: "<$1${name}$$>", maxBytes: 4_096)
    return 0
}
