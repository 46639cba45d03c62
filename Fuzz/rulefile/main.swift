import KlaxonConfig
import KlaxonRules

/// Loads arbitrary bytes as a rule file in both modes and as a promtool test file: each must
/// load or throw errors with positions inside the input, never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // YAML breaks lines at LF, CR LF and a lone CR.
    var lineCount = 1
    for (index, byte) in bytes.enumerated()
    where byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
        lineCount += 1
    }
    let modes = [
        RuleLoadOptions.klaxon, RuleLoadOptions(policy: .prometheusCompatible),
    ]
    for options in modes {
        do {
            let file = try RuleFileLoader.load(bytes: bytes, file: "fuzz.yml", options: options)
            for group in file.groups {
                _ = group.metricNames
                _ = group.makeState()
            }
        } catch {
            for problem in error.errors where problem.mark.line < 1 || problem.mark.line > lineCount + 1 {
                fatalError("error outside the input: \(problem)")
            }
        }
    }
    // A test file that names no rule files never reads the disk.
    if !bytes.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") }) {
        _ = RuleTestRunner.run(bytes: bytes, file: "fuzz.yml", directory: "/nonexistent")
    }
    return 0
}
