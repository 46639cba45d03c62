import Glibc

/// Takes the pages of Klaxon's own machine code out of the process's page tables, so its resident
/// size counts the code that still runs rather than everything that ever ran.
///
/// Startup runs code `serve` never runs again: the configuration and YAML readers, the audit store's
/// migrations, the first use of every module. With fault-around (the kernel maps up to 16 cached pages
/// around each faulting one) that left 15 MB of the static binary's code resident on the peers'
/// workload, of which about 7 MB maps back while it runs. `madvise(MADV_DONTNEED)` on the
/// executable's own code mapping unmaps those pages; they stay in the page cache, and the code that
/// still runs maps back on its next call with a minor fault (no disk read). Only the executable's
/// `r-xp` mapping is advised: code pages are never written, so nothing private is lost; relocated
/// read-only data and writable data are left alone.
enum CodePageTrim {
    /// The executable's code mapping, found once in /proc/self/maps; nil when it cannot be found.
    private static let codeMapping: (address: UInt, length: Int)? = findCodeMapping()

    /// Unmaps the executable's code pages; the ones in use map back as they run.
    static func releaseCodePages() {
        guard let mapping = codeMapping, let start = UnsafeMutableRawPointer(bitPattern: mapping.address) else {
            return
        }
        _ = madvise(start, mapping.length, MADV_DONTNEED)
    }

    private static func findCodeMapping() -> (address: UInt, length: Int)? {
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &target, target.count - 1)
        guard length > 0, let maps = readFile("/proc/self/maps") else { return nil }
        let executable = String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for line in maps.split(separator: "\n") {
            // address perms offset device inode path
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1] == "r-xp",
                fields[5].trimmingLeadingSpaces == executable[...]
            else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let low = UInt(bounds[0], radix: 16), let high = UInt(bounds[1], radix: 16),
                high > low, high - low <= UInt(Int.max)
            else { continue }
            return (low, Int(high - low))
        }
        return nil
    }

    /// A /proc file's text (their size is 0 to `stat`, so read until end of file).
    private static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate var trimmingLeadingSpaces: Substring { drop { $0 == " " } }
}
