import KlaxonServer

/// The time every input is parsed at: 2026-01-01T00:00:00Z.
let now: Int64 = 1_767_225_600_000

/// Feeds arbitrary bytes to the ack body parser: it must refuse with a message naming `ack`, or
/// return an ack with an owner whose expiry lies within a week from now.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let ack = try AckRequest.parse(bytes, now: now)
        precondition(!ack.by.isEmpty, "an ack without an owner was accepted")
        if let expiresAt = ack.expiresAt {
            precondition(expiresAt > now && expiresAt - now <= AckRequest.maxExpiry, "expiry out of range")
        }
    } catch {
        precondition(error.message.hasPrefix("ack"), "error does not name the field: \(error.message)")
        precondition(error.status.code == 400, "unexpected status \(error.status)")
    }
    return 0
}
